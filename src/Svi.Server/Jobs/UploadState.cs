namespace Svi.Server.Jobs;

/// <summary>An uploaded video accepted for an extension: its frame count at 16 fps then (<c>upload.json</c>).</summary>
public sealed record UploadState(int Frames);
