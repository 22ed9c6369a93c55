using Svi.Server.Storage;

namespace Svi.Server.Contracts;

/// <summary>
/// OpenAI's <c>Video</c> object. OpenAI knows four statuses, so a cancelled generation shows as <c>failed</c> with
/// error code <c>cancelled</c>. <c>weights</c> (ours, ignored by OpenAI's clients) is <c>random</c> for a video of random weights.
/// <c>seconds</c> is the length rendered (<c>"4"</c> renders one clip: <c>"5.0625"</c>); <c>clips_completed</c>,
/// <c>clips_total</c> and <c>stage</c> are ours, as on the native object.
/// </summary>
public sealed record VideoObject(
    string Id, string Object, long CreatedAt, long? CompletedAt, long? ExpiresAt, string Status, double Progress,
    string Model, string? Prompt, string Seconds, string Size, string? RemixedFromVideoId, GenerationError? Error, string? Weights,
    int ClipsCompleted, int ClipsTotal, string? Stage)
{
    public static VideoObject From(GenerationRecord r) => new(
        r.Id, "video", r.CreatedAt.ToUnixTimeSeconds(), r.CompletedAt?.ToUnixTimeSeconds(), r.ExpiresAt?.ToUnixTimeSeconds(),
        r.Status == GenerationStatus.Cancelled ? GenerationStatus.Failed : r.Status, r.Progress, r.Spec.Model, r.ExtendedFrom is null ? r.Spec.Prompts[0] : r.Spec.Prompts[^1],
        r.SecondsText, Resolutions.Format(r.Spec.Width, r.Spec.Height), r.RemixedFrom,
        r.ErrorCode is null ? null : new GenerationError(r.ErrorCode, r.ErrorMessage ?? r.ErrorCode), r.Weights,
        r.ClipsCompleted, r.ClipsTotal, r.Stage);
}
