using System.Text.Json;
using Svi.Inference.Pipeline;
using Svi.Inference.Rendering;
using Svi.Server.Media;

namespace Svi.Server.Jobs;

/// <summary>
/// The folder an extension starts from (<see cref="WorkDirectory.Source"/>), filled when the extension is accepted: a
/// copy of its source generation's stored state, or an uploaded video with the frame count it had then. The render
/// reads it as a <see cref="RenderContinuation"/>.
/// </summary>
public static class ExtensionSource
{
    /// <summary>
    /// What the render continues from <paramref name="continueFrom"/> (null: a generation from scratch); an upload is
    /// made into the folder's clip 0 at the spec's size first (<see cref="UploadedClip.PrepareAsync"/>).
    /// </summary>
    public static async Task<RenderContinuation?> ContinuationAsync(string? continueFrom, IVideoMedia media, GenerationSpec spec,
        CancellationToken cancellationToken)
    {
        if (continueFrom is null) return null;
        var source = new WorkDirectory(continueFrom);
        if (Upload(source) is not { } upload) return new RenderContinuation(continueFrom);
        var clip = await UploadedClip.PrepareAsync(media, source, upload.Frames, spec.Width, spec.Height, cancellationToken);
        return new RenderContinuation(continueFrom, clip);
    }

    static UploadState? Upload(WorkDirectory source) =>
        File.Exists(source.UploadState) ? JsonSerializer.Deserialize<UploadState>(File.ReadAllText(source.UploadState)) : null;

    /// <summary>
    /// Copies what an extension needs of a finished generation's work directory into <paramref name="destination"/>,
    /// when the extension is accepted, so the source may expire or be deleted while the extension waits in the queue.
    /// </summary>
    /// <returns>false when the source has no stored clip state (nothing is copied then)</returns>
    public static bool CopySourceState(WorkDirectory source, WorkDirectory destination)
    {
        if (new SviCheckpointStore(source.Checkpoint).LoadLatest() is null) return false;
        source.CopyStateTo(destination);
        return true;
    }
}
