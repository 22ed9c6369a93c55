using Svi.Inference.Rendering;

namespace Svi.Inference.Interpolation;

/// <summary>
/// The last 16 fps frame of each clip, kept in the work directory (<see cref="WorkDirectory.SeamFrames"/>) so a resumed
/// job or an extension interpolates the seam to clip k + 1 exactly as an uninterrupted run does. Written beside the
/// target and renamed, so a crash never leaves half a frame under the final name.
/// </summary>
public sealed class SeamFrames(string directory)
{
    public string Directory => directory;

    public string PathOf(int clip) => Path.Combine(directory, $"clip{clip:D4}.rgb");

    public byte[]? Load(int clip) => File.Exists(PathOf(clip)) ? File.ReadAllBytes(PathOf(clip)) : null;

    /// <summary>Keeps <paramref name="frame"/> as clip <paramref name="clip"/>'s last and drops the seams no resume needs.</summary>
    public void Save(int clip, ReadOnlySpan<byte> frame)
    {
        System.IO.Directory.CreateDirectory(directory);
        string path = PathOf(clip), temporary = Path.Combine(directory, ".tmp-" + Path.GetFileName(path));
        using (var file = File.Create(temporary))
            file.Write(frame);
        File.Move(temporary, path, overwrite: true);
        // Clip k may be rendered again after a crash before its checkpoint, and then needs clip k − 1's seam.
        for (int older = clip - 2; older >= 0 && File.Exists(PathOf(older)); older--)
            File.Delete(PathOf(older));
    }

    /// <summary>Removes every kept seam (a new, different run starts in this directory).</summary>
    public void Clear()
    {
        if (System.IO.Directory.Exists(directory)) System.IO.Directory.Delete(directory, recursive: true);
    }
}
