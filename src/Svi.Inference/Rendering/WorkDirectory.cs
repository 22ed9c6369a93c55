namespace Svi.Inference.Rendering;

/// <summary>
/// The layout of one generation's folder, the only place its file names are spelled. The server writes the input
/// image, the encoded clips and the videos; the render writes its checkpoint and, at 32 fps, the seam frames. An
/// extension's <see cref="Source"/> is a folder of the same layout: a copy of its source's stored state, or an upload.
/// </summary>
public sealed record WorkDirectory(string Path)
{
    /// <summary>The normalised anchor image (image-to-video, an extension's first frame).</summary>
    public string InputImage => In("input.png");
    /// <summary>The anchor frame a text-to-video render generated.</summary>
    public string AnchorFrame => In("anchor.png");
    public string Video => In("video.mp4");
    /// <summary>Every clip encoded so far, playable while the job runs.</summary>
    public string PartialVideo => In("partial.mp4");
    public string Thumbnail => In("thumbnail.jpg");
    /// <summary>A preview grid of evenly spaced frames, made on first request.</summary>
    public string Spritesheet => In("spritesheet.jpg");
    /// <summary>Each clip's frames as one H.264 part.</summary>
    public string Parts => In("parts");
    /// <summary>The clip loop's resume state: motion and anchor latents, the last clip's raw latent.</summary>
    public string Checkpoint => In("checkpoint");
    /// <summary>The last frame of each clip at 32 fps, for the seam to the next one.</summary>
    public string SeamFrames => In("interpolation");
    /// <summary>An uploaded video an extension continues (in <see cref="Source"/>).</summary>
    public string Upload => In("upload.video");
    /// <summary>The upload's frame count at 16 fps when it was accepted.</summary>
    public string UploadState => In("upload.json");

    /// <summary>What an extension starts from, filled when it is accepted.</summary>
    public WorkDirectory Source => new(In("source"));

    public string Part(int clip) => System.IO.Path.Combine(Parts, $"clip{clip:D4}.ts");

    /// <summary>
    /// Copies what an extension needs of this (finished) folder into <paramref name="destination"/>: the checkpoint,
    /// the encoded clips, the seam frames and the thumbnail, so the source may expire while the extension waits.
    /// </summary>
    public void CopyStateTo(WorkDirectory destination)
    {
        foreach (var (from, to) in new[] { (Checkpoint, destination.Checkpoint), (Parts, destination.Parts), (SeamFrames, destination.SeamFrames) })
        {
            if (!Directory.Exists(from)) continue;
            Directory.CreateDirectory(to);
            foreach (var file in Directory.EnumerateFiles(from).Where(f => !System.IO.Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".tmp")))
                File.Copy(file, System.IO.Path.Combine(to, System.IO.Path.GetFileName(file)), overwrite: true);
        }
        if (File.Exists(Thumbnail)) File.Copy(Thumbnail, destination.Thumbnail, overwrite: true);
    }

    string In(string name) => System.IO.Path.Combine(Path, name);
}
