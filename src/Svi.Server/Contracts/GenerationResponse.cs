using Svi.Inference.Pipeline;
using Svi.Server.Storage;

namespace Svi.Server.Contracts;

/// <summary>The native generation object (<c>/v1/videos/generations</c>). Times are Unix seconds.</summary>
/// <param name="Progress">percent of the work, 100 only once the MP4 is written (decode and encode have their share)</param>
/// <param name="Clip">index of the clip being worked on (0-based), kept for older clients: read <paramref name="ClipsCompleted"/></param>
/// <param name="ClipsTotal">the clips the job runs: the fewest that cover <paramref name="Duration"/>, known at submission</param>
/// <param name="ClipsCompleted">clips encoded into the video so far, a count (<paramref name="ClipsTotal"/> once completed)</param>
/// <param name="Stage">denoising, decoding, interpolating or encoding while in progress; null otherwise (and while the models load)</param>
/// <param name="Duration">the length rendered, in seconds: round(seconds × 16) frames at 16 fps, at least one clip</param>
/// <param name="ExtendedFrom">the generation this one continues (an extension holds its source's clips and its own)</param>
/// <param name="Fps">16, or 32 when RIFE inserted a middle frame between every two frames</param>
/// <param name="Weights">files, or random (seeded random weights: the video is noise); null until a worker starts it</param>
/// <param name="LoraStrengths">the strength each LoRA merges at; null for a generation stored before requests could name them
/// (it renders at the worker's configured strengths)</param>
public sealed record GenerationResponse(
    string Id, string Object, string Status, double Progress, int Clip, int ClipsTotal, int ClipsCompleted, string? Stage, string Model,
    string Prompt, IReadOnlyList<string> Prompts, string NegativePrompt, string Resolution, double Duration,
    string Recipe, int Steps, int Fps, double Cfg, long Seed, string T2vQuality, bool InputImage, string? Mode, int? Frames, int Attempts,
    long CreatedAt, long? StartedAt, long? CompletedAt, long? ExpiresAt, string? RemixedFromVideoId, string? ExtendedFrom,
    GenerationError? Error, string ContentUrl, string ThumbnailUrl, string? Weights, IReadOnlyDictionary<string, double>? LoraStrengths)
{
    public static GenerationResponse From(GenerationRecord r) => From(r, r.Spec);

    // The spec's fields under the names Storage/SpecJson.cs stores them with.
    static GenerationResponse From(GenerationRecord r, GenerationSpec s) => new(
        r.Id, "video.generation", r.Status, r.Progress, r.Clip, r.ClipsTotal, r.ClipsCompleted, r.Stage, s.Model, s.Prompts[0], s.Prompts,
        s.NegativePrompt, Resolutions.Format(s.Width, s.Height), s.DurationSeconds, s.Recipe.Name(), s.Steps.GetValueOrDefault(), s.Fps,
        s.Cfg, s.Seed, s.T2vQuality.Name(), s.HasImage, r.Mode, r.Frames, r.Attempts, r.CreatedAt.ToUnixTimeSeconds(), r.StartedAt?.ToUnixTimeSeconds(),
        r.CompletedAt?.ToUnixTimeSeconds(), r.ExpiresAt?.ToUnixTimeSeconds(), r.RemixedFrom, r.ExtendedFrom,
        r.ErrorCode is null ? null : new GenerationError(r.ErrorCode, r.ErrorMessage ?? r.ErrorCode),
        $"/v1/videos/generations/{r.Id}/content", $"/v1/videos/generations/{r.Id}/content?variant=thumbnail", r.Weights,
        s.LoraStrengths?.ByName());
}
