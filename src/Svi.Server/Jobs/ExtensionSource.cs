using System.Text.Json;
using Svi.Inference.Pipeline;
using Svi.Inference.Rendering;

namespace Svi.Server.Jobs;

/// <summary>
/// The folder an extension starts from (<see cref="WorkDirectory.Source"/>), filled when the extension is accepted: a
/// copy of its source generation's stored state, or an uploaded video with the frame count it had then. The render
/// reads it as a <see cref="RenderContinuation"/>.
/// </summary>
public static class ExtensionSource
{
    /// <summary>What the render continues from <paramref name="continueFrom"/> (null: a generation from scratch).</summary>
    public static RenderContinuation? Continuation(string? continueFrom) =>
        continueFrom is null ? null : new RenderContinuation(continueFrom, Upload(new WorkDirectory(continueFrom))?.Frames);

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
