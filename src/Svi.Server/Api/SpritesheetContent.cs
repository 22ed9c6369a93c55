using Svi.Inference.Interpolation;
using Svi.Inference.Pipeline;
using Svi.Server.Contracts;
using Svi.Server.Media;
using Svi.Server.Storage;

namespace Svi.Server.Api;

/// <summary><c>…/content?variant=spritesheet</c>: the grid of <see cref="Spritesheet"/>, made from the finished video on first request.</summary>
public static class SpritesheetContent
{
    public const string Variant = "spritesheet";

    public static async Task<IResult> ForAsync(GenerationRecord r, GenerationFiles files, CancellationToken ct)
    {
        if (r.AssetsDeleted)
            throw new ApiException(StatusCodes.Status404NotFound, $"The files of '{r.Id}' were deleted when it expired.", "id", "video_expired");
        string sheet = files.Spritesheet(r.Id);
        if (File.Exists(sheet)) return Results.File(sheet, "image/jpeg");
        if (r.Status != GenerationStatus.Completed || !File.Exists(files.Video(r.Id))) throw ContentResults.NotReady(r, Variant);
        // Written beside and renamed: concurrent first requests each make one, and none sees a half-written file.
        string temporary = Path.Combine(files.Directory(r.Id), $".{Guid.NewGuid():N}.spritesheet.jpg");
        try
        {
            int frames = r.Frames ?? ExpectedFrames(r.Spec);
            await Spritesheet.WriteAsync(files.Video(r.Id), frames, r.Spec.Width, r.Spec.Height, temporary, ct);
            File.Move(temporary, sheet, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
        return Results.File(sheet, "image/jpeg");
    }

    // Completing a job stores its frame count; should a row lack it, the length its spec asks for stands in.
    static int ExpectedFrames(GenerationSpec spec)
    {
        int frames = ClipPlanner.OutputFrames(spec.DurationSeconds);
        return spec.Fps == OutputFps.Interpolated ? FrameDoubling.DoubledCount(frames) : frames;
    }
}
