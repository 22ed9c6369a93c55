using System.Text.Json;
using Svi.Inference.Pipeline;
using Svi.Inference.Rendering;
using Svi.Server.Media;

namespace Svi.Server.Jobs;

/// <summary>
/// The folder an extension starts from, filled when the extension is accepted: a copy of its source generation's
/// stored state (<c>checkpoint/</c>, <c>parts/</c>, <c>thumbnail.jpg</c>), or an uploaded video with the frame count it
/// had then (<c>upload.video</c>, <c>upload.json</c>). The render reads it as a <see cref="RenderContinuation"/>.
/// </summary>
public static class ExtensionSource
{
    public const string UploadFile = "upload.video", UploadStateFile = "upload.json";

    /// <summary>What the render continues from <paramref name="continueFrom"/> (null: a generation from scratch).</summary>
    public static RenderContinuation? Continuation(string? continueFrom) =>
        continueFrom is null ? null : new RenderContinuation(continueFrom, Upload(continueFrom)?.Frames);

    static UploadState? Upload(string continueFrom) =>
        File.Exists(Path.Combine(continueFrom, UploadStateFile))
            ? JsonSerializer.Deserialize<UploadState>(File.ReadAllText(Path.Combine(continueFrom, UploadStateFile)))
            : null;

    /// <summary>
    /// Copies what an extension needs of a finished generation's work directory into <paramref name="destination"/>,
    /// when the extension is accepted, so the source may expire or be deleted while the extension waits in the queue.
    /// </summary>
    /// <returns>false when the source has no stored clip state (nothing is copied then)</returns>
    public static bool CopySourceState(string sourceWorkDirectory, string destination)
    {
        string checkpoint = Path.Combine(sourceWorkDirectory, ExtensionStart.CheckpointFolder);
        if (new SviCheckpointStore(checkpoint).LoadLatest() is null) return false;
        foreach (var folder in new[] { ExtensionStart.CheckpointFolder, ClipVideoWriter.PartsFolder })
        {
            string from = Path.Combine(sourceWorkDirectory, folder), to = Path.Combine(destination, folder);
            if (!Directory.Exists(from)) continue;
            Directory.CreateDirectory(to);
            foreach (var file in Directory.EnumerateFiles(from).Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".tmp")))
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }
        string thumbnail = Path.Combine(sourceWorkDirectory, ClipVideoWriter.ThumbnailFile);
        if (File.Exists(thumbnail)) File.Copy(thumbnail, Path.Combine(destination, ClipVideoWriter.ThumbnailFile), overwrite: true);
        return true;
    }
}
