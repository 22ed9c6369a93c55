using Svi.Inference.Pipeline;

namespace Svi.Server.Storage;

/// <summary>One row of <c>generations</c>: a request, its job's state and where its files are.</summary>
public sealed record GenerationRecord
{
    public required string Id { get; init; }
    /// <summary>Who may see it: a digest of the API key that created it ("" when the API is open).</summary>
    public required string Owner { get; init; }
    /// <summary><c>native</c> or <c>openai</c>: which surface created it (both can read it).</summary>
    public required string Surface { get; init; }
    public required string Status { get; init; }
    /// <summary>The validated request (stored as JSONB, <see cref="SpecJson"/>): what the worker renders.</summary>
    public required GenerationSpec Spec { get; init; }
    /// <summary>The length as the caller wrote it (OpenAI echoes <c>seconds</c> back as a string).</summary>
    public required string SecondsText { get; init; }
    public double Progress { get; init; }
    /// <summary>Index of the clip being worked on; <see cref="ClipsCompleted"/> is the count clients should read.</summary>
    public int Clip { get; init; }
    /// <summary>The clips the job runs (<c>ClipPlanner</c>'s plan, set at submission).</summary>
    public required int ClipsTotal { get; init; }
    /// <summary>Clips encoded into the video so far (an extension counts its source's); all of them once completed.</summary>
    public int ClipsCompleted { get; init; }
    /// <summary>What a running job does now (denoising, decoding, interpolating, encoding); null when not running.</summary>
    public string? Stage { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    public bool CancelRequested { get; init; }
    public int Attempts { get; init; }
    public string? JobId { get; init; }
    public string? IdempotencyKey { get; init; }
    public string? RequestHash { get; init; }
    public string? Mode { get; init; }
    public int? Frames { get; init; }
    public string? RemixedFrom { get; init; }
    /// <summary>The finished generation this one continues (an extension), whose frames it starts with.</summary>
    public string? ExtendedFrom { get; init; }
    /// <summary>files or random: what the worker rendered it with (random once any attempt used random weights); null until started.</summary>
    public string? Weights { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public bool AssetsDeleted { get; init; }
    /// <summary>The request's own <c>webhook_url</c>, told when the generation ends (besides the configured endpoints).</summary>
    public string? WebhookUrl { get; init; }

    public bool IsTerminal => Status is GenerationStatus.Completed or GenerationStatus.Failed or GenerationStatus.Cancelled;
}
