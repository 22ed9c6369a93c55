using Svi.Server.Hosting;
using Svi.Server.Images;

namespace Svi.Server.Contracts;

/// <summary>The machine-readable description of <c>svi-2-0-pro</c>'s request parameters (<c>GET /v1/models/svi-2-0-pro</c>).</summary>
public static class ModelSchema
{
    public static object Parameters(SviOptions options) => new Dictionary<string, object>
    {
        ["model"] = new { type = "string", required = false, @default = ModelCatalog.SviProId, allowed = new[] { ModelCatalog.SviProId }.Concat(options.ModelAliases.Keys) },
        ["prompt"] = new { type = "string", required = true, max_length = GenerationRequest.MaxPromptLength, description = "What happens in the video." },
        ["prompts"] = new
        {
            type = "array",
            items = "string",
            required = false,
            min_items = 1,
            max_items = GenerationRequest.MaxClips,
            description = "One prompt per clip; the last repeats. 'prompt', when also given, replaces the first."
        },
        ["image"] = new
        {
            type = "image",
            required = false,
            forms = new[] { "file part", "http(s) URL", "data URI", "base64" },
            formats = InputImageDecoder.AcceptedFormats,
            max_bytes = options.MaxImageBytes,
            max_pixels = options.MaxImagePixels,
            description = "The anchor image (image-to-video). Absent: text-to-video."
        },
        ["resolution"] = new { type = "string", required = false, @default = options.DefaultResolution, allowed = Resolutions.Supported },
        ["duration"] = new
        {
            type = "number",
            unit = "seconds",
            required = false,
            @default = Durations.DefaultSeconds,
            exclusive_minimum = 0,
            minimum_rendered = Durations.OneClipSeconds,
            maximum = Durations.MaxSeconds,
            description = "Length of the video, rendered in whole 81-frame clips at 16 fps; below one clip rounds up to one clip."
        },
        ["cfg"] = new
        {
            type = "number",
            required = false,
            @default = GenerationRequest.DefaultCfg,
            minimum = GenerationRequest.MinCfg,
            maximum = GenerationRequest.MaxCfg,
            description = "1.0–1.3 lets a multi-scene prompt flow; 1.5–2.0 follows each scene literally."
        },
        ["negative_prompt"] = new { type = "string", required = false, @default = GenerationRequest.DefaultNegativePrompt },
        ["t2v_quality"] = new
        {
            type = "string",
            required = false,
            @default = "quality",
            allowed = GenerationRequest.T2vQualities,
            description = "Text-to-video path; ignored with an image."
        },
        ["seed"] = new { type = "integer", required = false, minimum = 0, maximum = long.MaxValue, description = "Random when absent." },
    };

    public static object OpenAiParameters(SviOptions options) => new Dictionary<string, object>
    {
        ["prompt"] = new { type = "string", required = true },
        ["model"] = new { type = "string", required = false, @default = ModelCatalog.SviProId },
        ["seconds"] = new
        {
            type = "string (number)",
            required = false,
            @default = OpenAiVideoRequest.DefaultSeconds,
            exclusive_minimum = 0,
            minimum_rendered = Durations.OneClipSeconds,
            maximum = Durations.MaxSeconds
        },
        ["size"] = new { type = "string", required = false, @default = options.DefaultResolution, allowed = Resolutions.Supported },
        ["input_reference"] = new
        {
            type = "image",
            required = false,
            forms = new[] { "file part", "input_reference[image_url]", "{\"image_url\": ...}" },
            formats = InputImageDecoder.AcceptedFormats
        },
    };
}
