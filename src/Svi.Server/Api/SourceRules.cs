using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Svi.Inference.Pipeline;
using Svi.Server.Contracts;
using Svi.Server.Storage;

namespace Svi.Server.Api;

/// <summary>What a remix or an extension requires of the video it starts from, and how its new record is made.</summary>
public static class SourceRules
{
    /// <summary>Only a completed video whose files still exist can be remixed or extended.</summary>
    public static void RequireCompleted(GenerationRecord source, string param, string action)
    {
        if (source.Status is GenerationStatus.Queued or GenerationStatus.InProgress)
            throw new ApiException(StatusCodes.Status409Conflict,
                $"The video '{source.Id}' is {source.Status} ({source.Progress:0.#}%); only a completed video can be {action}. " +
                "Poll it until it is completed.", param, "video_not_ready");
        if (source.Status != GenerationStatus.Completed)
            throw ApiException.Invalid(param,
                $"The video '{source.Id}' {(source.Status == GenerationStatus.Cancelled ? "was cancelled" : "failed")}; " +
                $"only a completed video can be {action}.", "video_not_completed");
        if (source.AssetsDeleted)
            throw ApiException.Invalid(param,
                $"The video '{source.Id}' has expired: its files were deleted, so it can no longer be {action}.", "video_expired");
    }

    /// <summary>A new queued record with the source's settings and nothing of its run.</summary>
    public static GenerationRecord Fresh(GenerationRecord source, string id, string owner, string surface) => new()
    {
        Id = id,
        Owner = owner,
        Surface = surface,
        Status = GenerationStatus.Queued,
        Spec = source.Spec,
        SecondsText = source.SecondsText,
        // planned again: a source accepted before the planner set clips_total may carry an estimate
        ClipsTotal = ClipPlanner.ForSeconds(source.Spec.DurationSeconds).Clips,
        Weights = source.Weights,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
    };

    /// <summary>The digest an idempotency key is bound to.</summary>
    public static string Hash(object request) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request))));
}
