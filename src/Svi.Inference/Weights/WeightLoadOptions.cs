using Svi.Inference.Nn;

namespace Svi.Inference.Weights;

/// <summary>How weights are placed into a module.</summary>
/// <param name="KeepFp8">
/// FP8 weights of <see cref="Linear"/> layers stay FP8 bytes plus scale, decoded per forward (the memory saving
/// the files exist for). False: decoded once at load into the layer's dtype.
/// </param>
/// <param name="MemoryMap">
/// CPU weights whose stored dtype equals the module's are adopted as views of a private memory mapping of the file
/// instead of being copied, so a 28 GB expert costs page cache, not a second 28 GB. The file must stay in place
/// while the module lives. Other tensors are read straight into the module's memory.
/// </param>
/// <param name="Layout">The key layout; null detects it from the keys (<see cref="KeyLayout.Detect"/>).</param>
/// <param name="IgnoreForeignKeys">
/// Keys outside the layout (for a prefixed layout: without the prefix, e.g. the VAE and text encoder of an
/// all-in-one checkpoint) are skipped instead of reported as unexpected.
/// </param>
public sealed record WeightLoadOptions(bool KeepFp8 = true, bool MemoryMap = false, KeyLayout? Layout = null, bool IgnoreForeignKeys = false)
{
    public static readonly WeightLoadOptions Default = new();
}
