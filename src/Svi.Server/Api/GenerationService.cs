using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using Svi.Inference.Pipeline;
using Svi.Inference.Runtime;
using Svi.Server.Contracts;
using Svi.Server.Hosting;
using Svi.Server.Images;
using Svi.Server.Jobs;
using Svi.Server.Storage;
using Svi.Server.Webhooks;

namespace Svi.Server.Api;

/// <summary>What both API surfaces do with a generation: accept, cancel, delete. The endpoints only translate.</summary>
public sealed class GenerationService(
    GenerationStore store, GenerationFiles files, GenerationQueue queue, GenerationTransitions transitions, InputImageDecoder decoder,
    ImageUrlFetcher fetcher, IOptions<SviOptions> options, IModelInventory inventory, DeploymentResolutions resolutions,
    StorageAdmission storage, WebhookTargets webhooks, [FromKeyedServices(SviHost.ClockKey)] TimeProvider clock, ILogger<GenerationService> log)
{
    public async Task<GenerationRecord> SubmitAsync(
        GenerationRequest request, string owner, string surface, string? idempotencyKey, CancellationToken ct)
    {
        if (request.WebhookUrl is not null) webhooks.RequireSecretForRequestUrl(owner);
        byte[]? image = request.Image switch
        {
            ImageSource.Bytes b => b.Data,
            ImageSource.Url u => await fetcher.FetchAsync(u, ct),
            _ => null,
        };
        if (image is not null && image.Length > options.Value.MaxImageBytes) throw ImageSource.TooLarge(request.Image!.Param, options.Value.MaxImageBytes);
        string hash = RequestHash(request, image);
        if (idempotencyKey is not null && await ReplayAsync(owner, idempotencyKey, hash, ct) is { } earlier) return earlier;

        var id = GenerationIds.New();
        try
        {
            if (image is not null)
            {
                var (png, _, _) = await decoder.ToPngAsync(request.Image!.Param, image, ct);
                Directory.CreateDirectory(files.Directory(id));
                await File.WriteAllBytesAsync(files.InputImage(id), png, ct);
            }
        }
        catch
        {
            files.Delete(id);
            throw;
        }
        var record = new GenerationRecord
        {
            Id = id,
            Owner = owner,
            Surface = surface,
            Status = GenerationStatus.Queued,
            Spec = request.Spec with { HasImage = image is not null },
            SecondsText = request.SecondsText,
            ClipsTotal = GenerationPlan.ClipsTotal(request.Spec),
            IdempotencyKey = idempotencyKey,
            RequestHash = hash,
            WebhookUrl = request.WebhookUrl,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds()),
        };
        return await AcceptAsync(record, ct);
    }

    /// <summary>OpenAI's remix: the source's image, settings and seed with a new prompt.</summary>
    public async Task<GenerationRecord> RemixAsync(GenerationRecord source, string prompt, string owner, string? idempotencyKey,
        CancellationToken ct)
    {
        SourceRules.RequireCompleted(source, "video_id", "remixed");
        resolutions.RequireRenderableSource(source.Id, source.Spec.Width, source.Spec.Height, "video_id", "remixed");
        if (source.Spec.HasImage && !File.Exists(files.InputImage(source.Id)))
            throw ApiException.Invalid("video_id", $"The input image of '{source.Id}' has expired; it cannot be remixed.", "video_expired");
        string hash = SourceRules.Hash(new { kind = "remix", source = source.Id, prompt });
        if (idempotencyKey is not null && await ReplayAsync(owner, idempotencyKey, hash, ct) is { } earlier) return earlier;
        var id = GenerationIds.New();
        try
        {
            if (source.Spec.HasImage)
            {
                Directory.CreateDirectory(files.Directory(id));
                File.Copy(files.InputImage(source.Id), files.InputImage(id));
            }
        }
        catch
        {
            files.Delete(id);
            throw;
        }
        var record = SourceRules.Fresh(source, id, owner, "openai") with
        {
            Spec = source.Spec with { Prompts = [prompt] },
            RemixedFrom = source.Id,
            IdempotencyKey = idempotencyKey,
            RequestHash = hash,
        };
        return await AcceptAsync(record, ct);
    }

    /// <summary>
    /// Stores a new record together with its job (one transaction). A concurrent request with the same idempotency key
    /// gets the first one; whatever fails, the files already written for this record are removed.
    /// </summary>
    internal async Task<GenerationRecord> AcceptAsync(GenerationRecord record, CancellationToken ct)
    {
        GenerationRecord accepted;
        try
        {
            RequireInterpolationModel(record);
            if (storage.Shortage(record) is { } shortage)
                throw StorageFullErrors.Refused(shortage.Needed, shortage.Space, storage.ReserveBytes);
            accepted = await queue.AddAsync(record, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && record.IdempotencyKey is not null)
        {
            files.Delete(record.Id);
            return await ReplayAsync(record.Owner, record.IdempotencyKey, record.RequestHash!, ct)
                ?? throw new InvalidOperationException("idempotency race", e);
        }
        catch
        {
            files.Delete(record.Id);
            throw;
        }
        JobMetrics.Accepted(record.Surface);
        log.LogInformation("Accepted generation {GenerationId} ({Surface}, {Seconds} s, {Width}x{Height}, image: {HasImage}) as job {JobId}",
            record.Id, record.Surface, record.Spec.DurationSeconds, record.Spec.Width, record.Spec.Height, record.Spec.HasImage, accepted.JobId);
        return accepted;
    }

    public async Task<GenerationRecord> GetAsync(string id, string owner, CancellationToken ct) =>
        (GenerationIds.IsValid(id) ? await store.GetAsync(id, owner, ct) : null) ?? throw ApiException.NotFound(id);

    public async Task<GenerationRecord> CancelAsync(string id, string owner, CancellationToken ct)
    {
        var current = await GetAsync(id, owner, ct);
        var updated = await transitions.ApplyAsync(
            token => store.RequestCancelAsync(id, owner, clock.GetUtcNow().AddHours(options.Value.RetentionHours), token), ct);
        if (updated is null)
            throw new ApiException(StatusCodes.Status409Conflict,
                $"The generation '{id}' is already {current.Status}; only queued or in_progress generations can be cancelled.",
                "id", "generation_finished");
        if (updated.Status == GenerationStatus.Cancelled) queue.Forget(updated.JobId);
        log.LogInformation("Cancel requested for generation {GenerationId} (was {Status})", id, current.Status);
        return updated;
    }

    public async Task DeleteAsync(string id, string owner, CancellationToken ct)
    {
        var current = await GetAsync(id, owner, ct);
        // Files first: on a full disk the space they free is what lets PostgreSQL write the deletion (WAL).
        files.Delete(id);
        if (!await store.DeleteAsync(id, owner, ct)) throw ApiException.NotFound(id);
        // A running job notices the missing record at its next progress tick, stops, and removes what it wrote since.
        if (current.Status == GenerationStatus.Queued) ForgetQueuedJob(current.JobId);
        log.LogInformation("Deleted generation {GenerationId} (was {Status})", id, current.Status);
    }

    // Hangfire records the job's deletion as a new state row; when that cannot be written the job still finds no
    // record when it runs, and does nothing.
    void ForgetQueuedJob(string? jobId)
    {
        try { queue.Forget(jobId); }
        catch (Exception e) when (StorageFull.Caused(e)) { log.LogWarning(e, "Could not drop job {JobId} on a full disk; it will find no record", jobId); }
    }

    public async Task<(IReadOnlyList<GenerationRecord>, bool)> ListAsync(
        string owner, string? after, int? limit, string? order, CancellationToken ct)
    {
        int n = limit ?? 20;
        if (n < 1 || n > 100) throw ApiException.Invalid("limit", $"'limit' must be an integer from 1 to 100; got {n}.");
        order ??= "desc";
        if (order is not ("asc" or "desc")) throw ApiException.Invalid("order", $"'order' must be one of asc, desc; got '{order}'.");
        GenerationRecord? cursor = null;
        if (after is not null)
            cursor = (GenerationIds.IsValid(after) ? await store.GetAsync(after, owner, ct) : null)
                ?? throw ApiException.Invalid("after", $"'after' must be the id of one of your videos; '{after}' is not.", "invalid_cursor");
        return await store.ListAsync(owner, cursor, n, order == "asc", ct);
    }

    internal async Task<GenerationRecord?> ReplayAsync(string owner, string key, string hash, CancellationToken ct)
    {
        var earlier = await store.FindByIdempotencyKeyAsync(owner, key, clock.GetUtcNow(), ct);
        if (earlier is null) return null;
        if (earlier.RequestHash != hash)
            throw new ApiException(StatusCodes.Status409Conflict,
                $"This Idempotency-Key was used in the last 24 hours with a different request body (it created '{earlier.Id}'); " +
                "send the same body to get that video again, or use a new key for a new request.",
                "Idempotency-Key", "idempotency_key_reused");
        return earlier;
    }

    // A 32 fps job would fail on the worker without ONNX Runtime or the RIFE file: refuse it now, the runtime in
    // InterpolationSupport's words, the file in the words the worker would use (RequiredWeights).
    void RequireInterpolationModel(GenerationRecord record)
    {
        if (record.Spec.Fps != OutputFps.Interpolated) return;
        InterpolationSupport.Runtime?.Require(record.Spec.Fps);
        var choice = SviModelChoice.For(record.Spec);
        if (inventory.RolesFor(choice)?.Contains(ModelRole.Interpolation) != true || inventory.Check().Files?.Has(ModelRole.Interpolation) == true) return;
        throw ApiException.Invalid("fps", inventory.Missing(choice)!, "interpolation_model_missing");
    }

    /// <summary>
    /// The digest an idempotency key is bound to: the validated spec (so two bodies that mean the same generation match),
    /// with a drawn seed left out, and the image's bytes.
    /// </summary>
    internal static string RequestHash(GenerationRequest r, byte[]? image)
    {
        var spec = SpecJson.Write(r.Spec with { HasImage = image is not null });
        if (r.SeedDrawn) spec["seed"] = null;
        spec["image_sha256"] = image is null ? null : Convert.ToHexString(SHA256.HashData(image));
        // Only when given, so the hashes stored for requests without one stay valid.
        if (r.WebhookUrl is not null) spec["webhook_url"] = r.WebhookUrl;
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(spec.ToJsonString())));
    }
}
