using static TorchSharp.torch;

namespace Svi.Inference.Pipeline;

/// <summary>Receives each finished clip's kept frames, in order; persists them before returning.</summary>
public interface IClipSink
{
    // frames: [n, H, W, 3] uint8, already stitched (overlap dropped, last clip trimmed)
    void Accept(int clip, Tensor frames);
}
