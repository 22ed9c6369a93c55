using Svi.Inference.Pipeline;
using Svi.Server.Hosting;

namespace Svi.Server.Contracts;

/// <summary>A validated request from either surface, before its image is fetched and the record is stored.</summary>
public sealed record GenerationRequest(
    string Model,
    IReadOnlyList<string> Prompts,
    string NegativePrompt,
    int Width,
    int Height,
    double DurationSeconds,
    string SecondsText,
    SviRecipe Recipe,
    double Cfg,
    long? Seed,
    string T2vQuality,
    ImageSource? Image,
    int Fps = OutputFps.Native)
{
    public const int MaxPromptLength = 20_000;
    public const int MaxClips = 24;
    public static readonly IReadOnlyList<string> T2vQualities = ["fast", "quality"];

    public static readonly IReadOnlyList<string> NativeFields =
        ["model", "prompt", "prompts", "image", "resolution", "duration", "recipe", "cfg", "negative_prompt", "t2v_quality", "seed", "fps", "webhook_url"];

    /// <summary><c>POST /v1/videos/generations</c>.</summary>
    public static async Task<GenerationRequest> ParseNativeAsync(RequestFields f, SviOptions options, SviDefaults defaults,
        DeploymentResolutions resolutions, CancellationToken ct)
    {
        f.RejectUnknown(NativeFields);
        var model = ModelCatalog.Resolve(f.String("model", 200), options.ModelAliases);
        var prompts = ReadPrompts(f);

        var size = resolutions.Parse("resolution", f.String("resolution", 50) ?? options.DefaultResolution);

        var duration = f.Number("duration", Durations.Describe) ?? Durations.DefaultSeconds;
        var effective = Durations.Effective(duration)
            ?? throw ApiException.Invalid("duration", $"{Durations.Describe("duration")}; got {Durations.Format(duration)}.");

        var recipe = RecipeFields.ReadRecipe(f, defaults);
        var cfg = RecipeFields.ReadCfg(f, defaults.Settings(recipe)) ?? defaults.Settings(recipe).DefaultCfg;

        var negative = f.String("negative_prompt", MaxPromptLength) ?? SviDefaults.WanNegativePrompt;
        var quality = f.String("t2v_quality", 20) ?? "quality";
        if (!T2vQualities.Contains(quality))
            throw ApiException.Invalid("t2v_quality", $"'t2v_quality' must be one of {string.Join(", ", T2vQualities)}; got '{quality}'.");

        var fps = OutputFps.Read(f, options);

        var seed = f.Integer("seed", DescribeSeed);
        if (seed < 0) throw ApiException.Invalid("seed", $"{DescribeSeed("seed")}; got {seed}.");

        ImageSource? image = null;
        if (f.File("image") is { } file) image = await ImageSource.FromFileAsync("image", file, options.MaxImageBytes, ct);
        else if (f.Json("image") is { ValueKind: System.Text.Json.JsonValueKind.Object } obj)
            image = ImageSource.FromJsonObject("image", obj, options.MaxImageBytes);
        else if (f.String("image", int.MaxValue) is { } text) image = ImageSource.FromText("image", text, options.MaxImageBytes);

        return new GenerationRequest(model, prompts, negative, size.Width, size.Height, effective,
            Durations.Format(effective), recipe, cfg, seed, quality, image, fps);
    }

    private static IReadOnlyList<string> ReadPrompts(RequestFields f)
    {
        var prompt = f.String("prompt", MaxPromptLength);
        const string describe = "an array of 1 to 24 non-empty strings, one prompt per clip (the last repeats)";
        var prompts = f.StringArray("prompts", describe);
        if (prompts is not null)
        {
            if (prompts.Count == 0 || prompts.Count > MaxClips || prompts.Any(string.IsNullOrWhiteSpace))
                throw ApiException.Invalid("prompts", $"'prompts' must be {describe}.");
            if (prompts.Any(p => p.Length > MaxPromptLength))
                throw ApiException.Invalid("prompts", $"Every entry of 'prompts' must be at most {MaxPromptLength} characters.", "string_too_long");
            return prompt is null ? prompts : [prompt, .. prompts.Skip(1)];
        }
        if (string.IsNullOrWhiteSpace(prompt))
            throw ApiException.Missing("prompt", "a non-empty string describing the video (or 'prompts', one per clip)");
        return [prompt];
    }

    public static string DescribeSeed(string p) => $"'{p}' must be an integer from 0 to {long.MaxValue}";
}
