using System.Text.Json;
using System.Text.Json.Nodes;
using Svi.Inference.Pipeline;

namespace Svi.Server.Storage;

/// <summary>
/// A <see cref="GenerationSpec"/> as JSON, under the native response's field names (<c>resolution</c>, <c>duration</c>,
/// <c>negative_prompt</c>, …): what the <c>generations.spec</c> column holds, what the idempotency hash is taken over and
/// what <c>./svi generate --dry-run</c> prints. <see cref="Version"/> is stored beside it; a change of shape adds a version
/// and a branch to <see cref="Read"/>, so rows written before stay readable.
/// </summary>
public static class SpecJson
{
    public const int Version = 1;

    public static JsonObject Write(GenerationSpec s)
    {
        var json = new JsonObject
        {
            ["model"] = s.Model,
            ["prompts"] = new JsonArray([.. s.Prompts.Select(p => (JsonNode?)JsonValue.Create(p))]),
            ["negative_prompt"] = s.NegativePrompt,
            ["resolution"] = $"{s.Width}x{s.Height}",
            ["duration"] = s.DurationSeconds,
            ["recipe"] = s.Recipe.Name(),
            ["steps"] = s.Steps,
            ["fps"] = s.Fps,
            ["cfg"] = s.Cfg,
            ["seed"] = s.Seed,
            ["t2v_quality"] = s.T2vQuality.Name(),
            ["input_image"] = s.HasImage,
            ["motion_latents"] = s.MotionLatents,
        };
        if (s.LoraStrengths is { } loras)
            json["lora_strengths"] = new JsonObject(loras.ByName().Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        // Sampling overrides only tests and conformance runs set.
        if (s.Boundary is { } boundary) json["boundary"] = boundary;
        if (s.Shift is { } shift) json["shift"] = shift;
        return json;
    }

    public static string Text(GenerationSpec s) => Write(s).ToJsonString();

    public static GenerationSpec Read(int version, string text)
    {
        if (version != Version)
            throw new InvalidDataException($"A stored generation spec has schema version {version}; this server reads version {Version}.");
        var json = JsonNode.Parse(text)!.AsObject();
        T Get<T>(string name) => json[name] is { } node ? node.GetValue<T>()
            : throw new InvalidDataException($"A stored generation spec has no '{name}'.");
        var resolution = Get<string>("resolution").Split('x');
        if (!SviRecipes.TryParse(Get<string>("recipe"), out var recipe) || !T2vQualities.TryParse(Get<string>("t2v_quality"), out var quality))
            throw new InvalidDataException($"A stored generation spec has an unknown recipe or t2v_quality: {text}");
        return new GenerationSpec
        {
            Model = Get<string>("model"),
            Prompts = json["prompts"]!.Deserialize<string[]>()!,
            NegativePrompt = Get<string>("negative_prompt"),
            Width = int.Parse(resolution[0]),
            Height = int.Parse(resolution[1]),
            DurationSeconds = Get<double>("duration"),
            Recipe = recipe,
            Steps = json["steps"]?.GetValue<int>(),
            Fps = Get<int>("fps"),
            Cfg = Get<double>("cfg"),
            Seed = Get<long>("seed"),
            T2vQuality = quality,
            HasImage = Get<bool>("input_image"),
            MotionLatents = json["motion_latents"]?.GetValue<int>() ?? 1,
            Boundary = json["boundary"]?.GetValue<double>(),
            Shift = json["shift"]?.GetValue<double>(),
            // Rows stored before requests could name strengths have none: they render at the worker's, as they did.
            LoraStrengths = json["lora_strengths"]?.Deserialize<Dictionary<string, double>>() is { } loras ? LoraStrengths.FromNames(loras) : null,
        };
    }
}
