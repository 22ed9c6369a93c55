using Svi.Server.Contracts;
using Svi.Server.Storage;

namespace Svi.Server.Api;

/// <summary>
/// A generation's downloadable files. MP4s are served with HTTP range support (players seek, clients resume);
/// while a generation runs, the native surface can serve the clips finished so far.
/// </summary>
public static class ContentResults
{
    public static readonly IReadOnlyList<string> Variants = ["video", "thumbnail", SpritesheetContent.Variant];

    public static IResult For(GenerationRecord r, GenerationFiles files, string? variant, bool allowPartial, HttpResponse response)
    {
        variant ??= "video";
        if (!Variants.Contains(variant))
            throw ApiException.Invalid("variant", $"'variant' must be one of {string.Join(", ", Variants)}; got '{variant}'.");
        if (r.AssetsDeleted)
            throw new ApiException(StatusCodes.Status404NotFound,
                $"The files of '{r.Id}' were deleted when it expired.", "id", "video_expired");

        if (variant == "thumbnail")
        {
            var thumbnail = files.Thumbnail(r.Id);
            return File.Exists(thumbnail) ? Results.File(thumbnail, "image/jpeg") : throw NotReady(r, "thumbnail");
        }
        if (r.Status == GenerationStatus.Completed && File.Exists(files.Video(r.Id)))
            return Results.File(files.Video(r.Id), "video/mp4", enableRangeProcessing: true);
        if (allowPartial && !r.IsTerminal && File.Exists(files.PartialVideo(r.Id)))
        {
            response.Headers["X-Svi-Partial"] = "true";
            return Results.File(files.PartialVideo(r.Id), "video/mp4", enableRangeProcessing: true);
        }
        throw NotReady(r, "video");
    }

    internal static ApiException NotReady(GenerationRecord r, string what) => r.IsTerminal && r.Status != GenerationStatus.Completed
        ? new ApiException(StatusCodes.Status404NotFound,
            $"The generation '{r.Id}' {r.Status} ({r.ErrorMessage}); it has no {what}.", "id", "video_unavailable")
        : new ApiException(StatusCodes.Status409Conflict,
            $"The {what} of '{r.Id}' is not ready: the generation is {r.Status} ({r.Progress:0.#}%). Poll it until it is completed.",
            "id", "video_not_ready");
}
