using Svi.Inference.Pipeline;
using Svi.Server.Hosting;

namespace Svi.Server.Contracts;

/// <summary>
/// OpenAI's <c>POST /v1/videos</c> body (the official clients always send multipart; curl users often send JSON),
/// mapped onto the same <see cref="SpecValidator"/> as the native surface.
/// </summary>
public static class OpenAiVideoRequest
{
    public static readonly IReadOnlyList<string> Fields =
        ["model", "prompt", "input_reference", "input_reference[image_url]", "input_reference[file_id]", "seconds", "size", "webhook_url"];

    public const string DefaultSeconds = "4";

    public static async Task<GenerationRequest> ParseAsync(RequestFields f, SviOptions options, SviDefaults defaults,
        DeploymentResolutions resolutions, CancellationToken ct)
    {
        f.RejectUnknown(Fields);
        var requested = f.Number("seconds", Durations.Describe);
        // OpenAI's body has no recipe, cfg, negative prompt, seed or fps: the deployment's defaults, as for a native request without them.
        var input = new SpecInput
        {
            Model = f.String("model", 200),
            Prompt = f.String("prompt", GenerationRequest.MaxPromptLength),
            Resolution = f.String("size", 50),
            Duration = requested ?? double.Parse(DefaultSeconds),
            WebhookUrl = f.String("webhook_url", WebhookUrlPolicy.MaxLength),
        };
        var spec = new SpecValidator(options, defaults, resolutions).Validate(input, SpecParams.OpenAi);
        var image = await ReadImageAsync(f, options, ct);
        // Echoed back as the length rendered ("4" renders one clip: "5.0625"), which is what OpenAI's field means.
        string secondsText = Durations.Format(spec.DurationSeconds);
        return new GenerationRequest(spec with { HasImage = image is not null }, SeedDrawn: true, secondsText, image, input.WebhookUrl);
    }

    private static async Task<ImageSource?> ReadImageAsync(RequestFields f, SviOptions options, CancellationToken ct)
    {
        const string param = "input_reference";
        if (f.Has("input_reference[file_id]")) throw ImageSource.FileIdUnsupported(param);
        if (f.File(param) is { } file) return await ImageSource.FromFileAsync(param, file, options.MaxImageBytes, ct);
        if (f.FormText("input_reference[image_url]") is { } url) return ImageSource.FromText(param, url, options.MaxImageBytes);
        if (f.Json(param) is { } json && json.ValueKind != System.Text.Json.JsonValueKind.Null)
            return ImageSource.FromJsonObject(param, json, options.MaxImageBytes);
        if (f.FormText(param) is { } text) return ImageSource.FromText(param, text, options.MaxImageBytes);
        return null;
    }
}
