using System.Text.Json;
using Svi.Inference.Pipeline;
using Svi.Server.Hosting;

namespace Svi.Server.Contracts;

/// <summary>
/// A request to continue a completed video with more clips: OpenAI's <c>POST /v1/videos/extensions</c> or the native
/// <c>POST /v1/videos/generations/{id}/extend</c>. Unset <see cref="Cfg"/> and <see cref="Seed"/> keep the source's,
/// so the new clips continue the source's clip-seed schedule.
/// </summary>
/// <param name="AddedSeconds">how much longer the video becomes</param>
/// <param name="Param">the field that named the length, for error messages</param>
/// <param name="SourceId">the completed video to continue, or null when <paramref name="Upload"/> is</param>
/// <param name="Upload">an uploaded video file to continue (OpenAI's <c>video</c> file part)</param>
public sealed record ExtensionRequest(string? SourceId, IReadOnlyList<string> Prompts, double AddedSeconds, string Param,
    double? Cfg, long? Seed, IFormFile? Upload = null)
{
    public static readonly IReadOnlyList<string> OpenAiFields = ["prompt", "seconds", "video", "video[id]", "model"];
    public static readonly IReadOnlyList<string> NativeFields = ["prompt", "prompts", "duration", "cfg", "seed"];

    /// <summary>OpenAI's default extension length.</summary>
    public const double DefaultOpenAiSeconds = 4;
    /// <summary>The native default: exactly one more clip (76 new frames at 16 fps).</summary>
    public const double DefaultNativeSeconds = ClipPlanner.NewFramesPerClip / (double)ClipPlanner.Fps;

    public static ExtensionRequest ParseOpenAi(RequestFields f, SviOptions options)
    {
        f.RejectUnknown(OpenAiFields);
        if (f.Has("model")) ModelCatalog.Resolve(f.String("model", 200), options.ModelAliases);
        var upload = f.File("video");
        var id = upload is not null ? null : f.FormText("video[id]") ?? (f.Json("video") is { ValueKind: JsonValueKind.Object } video
            && video.TryGetProperty("id", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null);
        if (upload is null && string.IsNullOrWhiteSpace(id))
            throw ApiException.Missing("video", "the video to extend: a video file part, or a completed video, as video[id] (multipart) or {\"video\": {\"id\": \"video_...\"}} (JSON)");
        var prompt = f.String("prompt", GenerationRequest.MaxPromptLength);
        if (string.IsNullOrWhiteSpace(prompt)) throw ApiException.Missing("prompt", "a non-empty string describing how the video goes on");
        var seconds = f.Number("seconds", Describe) ?? DefaultOpenAiSeconds;
        Validate("seconds", seconds);
        return new ExtensionRequest(id, [prompt], seconds, "seconds", null, null, upload);
    }

    public static ExtensionRequest ParseNative(string sourceId, RequestFields f)
    {
        f.RejectUnknown(NativeFields);
        var prompt = f.String("prompt", GenerationRequest.MaxPromptLength);
        const string describe = "an array of 1 to 24 non-empty strings, one prompt per new clip (the last repeats)";
        var prompts = f.StringArray("prompts", describe);
        IReadOnlyList<string> schedule;
        if (prompts is not null)
        {
            if (prompts.Count == 0 || prompts.Count > GenerationRequest.MaxClips || prompts.Any(string.IsNullOrWhiteSpace))
                throw ApiException.Invalid("prompts", $"'prompts' must be {describe}.");
            if (prompts.Any(p => p.Length > GenerationRequest.MaxPromptLength))
                throw ApiException.Invalid("prompts", $"Every entry of 'prompts' must be at most {GenerationRequest.MaxPromptLength} characters.", "string_too_long");
            schedule = prompt is null ? prompts : [prompt, .. prompts.Skip(1)];
        }
        else if (!string.IsNullOrWhiteSpace(prompt)) schedule = [prompt];
        else throw ApiException.Missing("prompt", "a non-empty string describing how the video goes on (or 'prompts', one per new clip)");

        var duration = f.Number("duration", Describe) ?? DefaultNativeSeconds;
        Validate("duration", duration);
        // Its range is the source's recipe's, checked where the source is known (ExtensionService).
        var cfg = f.Number("cfg", p => $"'{p}' must be a number in the source's recipe's cfg range (distilled 1.0–2.0, reference 1–10)");
        var seed = f.Integer("seed", SpecValidator.DescribeSeed);
        if (seed < 0) throw ApiException.Invalid("seed", $"{SpecValidator.DescribeSeed("seed")}; got {seed}.");
        return new ExtensionRequest(sourceId, schedule, duration, "duration", cfg, seed);
    }

    static void Validate(string param, double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < ClipPlanner.FrameSeconds || seconds > ClipPlanner.MaxDurationSeconds)
            throw ApiException.Invalid(param, $"{Describe(param)}; got {Durations.Format(seconds)}.");
    }

    public static string Describe(string param) =>
        $"'{param}' must be the number of seconds to add, from {Durations.Format(ClipPlanner.FrameSeconds)} (one frame) up to what keeps the whole " +
        $"video within {Durations.Format(ClipPlanner.MaxDurationSeconds)} s; each new clip adds {Durations.Format(DefaultNativeSeconds)} s";
}
