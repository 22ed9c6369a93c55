using System.Text.Json;
using Svi.Kernels.Safetensors;

namespace Svi.Inference.Pipeline;

/// <summary>
/// What a retried job needs to resume after the last finished clip: the motion latents that clip leaves (raw, in
/// their own dtype, so the continuation is bit-identical), the anchor latent, and the counters. Every file is
/// written to a temporary name and renamed, and the state file is written last, so a crash at any point leaves the
/// previous checkpoint intact.
/// </summary>
public sealed class SviCheckpointStore(string directory)
{
    const string StateFile = "checkpoint.json";
    const string MotionFile = "motion_latents.safetensors";
    const string AnchorFile = "anchor_latent.safetensors";
    const string FinalClipFile = "final_clip_latent.safetensors";

    public string Directory { get; } = directory;

    /// <summary>The checkpoint of the run with <paramref name="runKey"/>, or null when there is none for that run.</summary>
    public SviCheckpoint? Load(string runKey)
    {
        string path = Path.Combine(Directory, StateFile);
        if (!File.Exists(path)) return null;
        var checkpoint = JsonSerializer.Deserialize<SviCheckpoint>(File.ReadAllText(path));
        return checkpoint is not null && checkpoint.RunKey == runKey && File.Exists(Path.Combine(Directory, MotionFile))
            ? checkpoint : null;
    }

    /// <summary>The last checkpoint written, whatever run wrote it (an extension continues a finished run).</summary>
    public SviCheckpoint? LoadLatest()
    {
        string path = Path.Combine(Directory, StateFile);
        return File.Exists(path) && File.Exists(Path.Combine(Directory, MotionFile))
            ? JsonSerializer.Deserialize<SviCheckpoint>(File.ReadAllText(path)) : null;
    }

    // motion: [1, z, m, h, w]
    public void Save(SviCheckpoint checkpoint, Tensor motionLatents)
    {
        System.IO.Directory.CreateDirectory(Directory);
        WriteTensor(MotionFile, "motion_latents", motionLatents);
        WriteAtomically(StateFile, path => File.WriteAllText(path, JsonSerializer.Serialize(checkpoint)));
    }

    public Tensor LoadMotionLatents(Device device) => ReadTensor(MotionFile, "motion_latents", device)
        ?? throw new InvalidOperationException($"{Directory} has no motion latents");

    public Tensor? LoadAnchorLatent(Device device) => ReadTensor(AnchorFile, "anchor_latent", device);

    public void SaveAnchorLatent(Tensor anchorLatent)
    {
        System.IO.Directory.CreateDirectory(Directory);
        WriteTensor(AnchorFile, "anchor_latent", anchorLatent);
    }

    /// <summary>
    /// The last clip's whole raw latent, kept after completion: an extension of a video whose last clip was trimmed
    /// decodes it again to restore the frames the trim cut off.
    /// </summary>
    // latent: [1, z, T, h, w]
    public void SaveFinalClipLatent(Tensor latent)
    {
        System.IO.Directory.CreateDirectory(Directory);
        WriteTensor(FinalClipFile, "final_clip_latent", latent);
    }

    public bool HasFinalClipLatent => File.Exists(Path.Combine(Directory, FinalClipFile));

    public Tensor? LoadFinalClipLatent(Device device) => ReadTensor(FinalClipFile, "final_clip_latent", device);

    /// <summary>Forgets every checkpoint (a run with another key starts over).</summary>
    public void Clear()
    {
        if (!System.IO.Directory.Exists(Directory)) return;
        foreach (var name in new[] { StateFile, MotionFile, AnchorFile, FinalClipFile })
            File.Delete(Path.Combine(Directory, name));
    }

    void WriteTensor(string file, string name, Tensor tensor) =>
        WriteAtomically(file, path => SafetensorsWriter.Write(path, [new(name, tensor)]));

    Tensor? ReadTensor(string file, string name, Device device)
    {
        string path = Path.Combine(Directory, file);
        if (!File.Exists(path)) return null;
        using var safetensors = SafetensorsFile.Open(path);
        return safetensors.Read(name, device);
    }

    void WriteAtomically(string file, Action<string> write)
    {
        string path = Path.Combine(Directory, file);
        string temporary = path + ".tmp";
        write(temporary);
        File.Move(temporary, path, overwrite: true);
    }
}
