using System.Text.Json;
using Svi.Inference.Pipeline;
using Svi.Server.Hosting;

namespace Svi.Server.Contracts;

/// <summary>A validated request from either surface, before its image is fetched and the record is stored.</summary>
/// <param name="SeedDrawn">the request named no seed, so <see cref="GenerationSpec.Seed"/> was drawn (a replay must not depend on it)</param>
/// <param name="SecondsText">the length rendered, as OpenAI's <c>seconds</c> echoes it back (a string: "4" renders one clip, "5.0625")</param>
/// <param name="WebhookUrl">
/// the request's own receiver, checked by <see cref="SpecValidator"/>. Not part of the spec: it says where to announce the
/// result, not what to render, so Inference never sees it, an extension or remix does not inherit it, and the record keeps
/// it in a column the finishing transaction reads.
/// </param>
public sealed record GenerationRequest(GenerationSpec Spec, bool SeedDrawn, string SecondsText, ImageSource? Image, string? WebhookUrl = null)
{
    public const int MaxPromptLength = SpecValidator.MaxPromptLength;
    public const int MaxClips = SpecValidator.MaxClips;

    public static readonly IReadOnlyList<string> NativeFields =
        ["model", "prompt", "prompts", "image", "resolution", "duration", "recipe", "cfg", "negative_prompt", "t2v_quality", "seed", "fps", LoraStrengthFields.Field, .. LoraStrengthFields.FormKeys,
            "webhook_url"];

    /// <summary><c>POST /v1/videos/generations</c>: the body's fields, read by type, then <see cref="SpecValidator"/>.</summary>
    public static async Task<GenerationRequest> ParseNativeAsync(RequestFields f, SviOptions options, SviDefaults defaults,
        DeploymentResolutions resolutions, CancellationToken ct)
    {
        f.RejectUnknown(NativeFields);
        var validator = new SpecValidator(options, defaults, resolutions);
        var recipe = f.String("recipe", 20);
        var input = new SpecInput
        {
            Model = f.String("model", 200),
            Prompt = f.String("prompt", MaxPromptLength),
            Prompts = f.StringArray("prompts", SpecValidator.DescribePrompts),
            Resolution = f.String("resolution", 50),
            Duration = f.Number("duration", Durations.Describe),
            Recipe = recipe,
            Cfg = f.Number("cfg", p => validator.DescribeCfg(p, recipe)),
            NegativePrompt = f.String("negative_prompt", MaxPromptLength),
            T2vQuality = f.String("t2v_quality", 20),
            Fps = f.Integer("fps", OutputFps.Describe),
            LoraStrengths = LoraStrengthFields.Read(f),
            Seed = f.Integer("seed", SpecValidator.DescribeSeed),
            WebhookUrl = f.String("webhook_url", WebhookUrlPolicy.MaxLength),
        };
        var spec = validator.Validate(input, SpecParams.Native);
        var image = await ReadImageAsync(f, options, ct);
        return new GenerationRequest(spec with { HasImage = image is not null }, input.Seed is null, Durations.Format(spec.DurationSeconds), image,
            input.WebhookUrl);
    }

    private static async Task<ImageSource?> ReadImageAsync(RequestFields f, SviOptions options, CancellationToken ct)
    {
        if (f.File("image") is { } file) return await ImageSource.FromFileAsync("image", file, options.MaxImageBytes, ct);
        if (f.Json("image") is { ValueKind: JsonValueKind.Object } obj) return ImageSource.FromJsonObject("image", obj, options.MaxImageBytes);
        if (f.String("image", int.MaxValue) is { } text) return ImageSource.FromText("image", text, options.MaxImageBytes);
        return null;
    }
}
