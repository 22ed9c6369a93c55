using Svi.Inference.Pipeline;
using Svi.Inference.Rendering;
using static TorchSharp.torch;

namespace Svi.Server.Jobs;

/// <summary>Hands the clip loop's uint8 frame tensors to an <see cref="IFrameSink"/> as rgb24 bytes.</summary>
public sealed class FrameSinkAdapter(IFrameSink sink) : IClipSink
{
    // frames: [n, H, W, 3] uint8
    public void Accept(int clip, Tensor frames)
    {
        if (frames.dtype != ScalarType.Byte || frames.dim() != 4 || frames.shape[3] != 3)
            throw new ArgumentException($"frames must be [n, H, W, 3] uint8, got {frames.dtype} [{string.Join(',', frames.shape)}]");
        sink.Accept(clip, new RgbFrames((int)frames.shape[2], (int)frames.shape[1], frames.cpu().contiguous().data<byte>().ToArray()));
    }
}
