using Svi.Inference.Rendering;

namespace Svi.Inference.Pipeline;

/// <summary>Decoded clips as 8-bit RGB frames, and 8-bit RGB frames as VAE input.</summary>
public static class ClipFrames
{
    // decoded: [1, 3, F, H, W] in [−1, 1] (clamped here) → [F, H, W, 3] uint8, trunc((x + 1)·127.5) as the reference
    public static Tensor ToRgb24(Tensor decoded)
    {
        using var scope = NewDisposeScope();
        var levels = (decoded[0].to(ScalarType.Float32).clamp(-1, 1) + 1) * 127.5;
        var rgb = levels.trunc().clamp(0, 255).to(ScalarType.Byte).permute(1, 2, 3, 0).contiguous();
        return rgb.MoveToOuterDisposeScope();
    }

    // image: [H, W, 3] uint8 → [1, 3, 1, H, W] in [−1, 1] (p/127.5 − 1)
    public static Tensor ImageToVideo(Tensor image, ScalarType dtype, Device device)
    {
        using var scope = NewDisposeScope();
        var video = (image.to(ScalarType.Float32) / 127.5 - 1).permute(2, 0, 1).unsqueeze(0).unsqueeze(2);
        return video.to(dtype, device).MoveToOuterDisposeScope();
    }

    // frames: [n, H, W, 3] uint8 → [1, 3, n, H, W] in [−1, 1] (p/127.5 − 1)
    public static Tensor FramesToVideo(Tensor frames, ScalarType dtype, Device device)
    {
        using var scope = NewDisposeScope();
        var video = (frames.to(ScalarType.Float32) / 127.5 - 1).permute(3, 0, 1, 2).unsqueeze(0);
        return video.to(dtype, device).MoveToOuterDisposeScope();
    }

    // clip frames: [F, H, W, 3] → the frames the plan keeps, [n, H, W, 3]
    public static Tensor Kept(Tensor frames, ClipPlan plan, int clip)
    {
        var (start, count) = plan.KeptFrames(clip);
        return frames[TensorIndex.Slice(start, start + count)].contiguous();
    }

    // frames: [n, H, W, 3] uint8 → the same frames as host bytes
    public static RgbFrames ToBytes(Tensor frames)
    {
        if (frames.dtype != ScalarType.Byte || frames.dim() != 4 || frames.shape[3] != 3)
            throw new ArgumentException($"frames must be [n, H, W, 3] uint8, got {frames.dtype} [{string.Join(',', frames.shape)}]");
        using var host = frames.cpu().contiguous();
        return new RgbFrames((int)frames.shape[2], (int)frames.shape[1], host.data<byte>().ToArray());
    }

    // → [n, H, W, 3] uint8 on the host
    public static Tensor FromBytes(RgbFrames frames) =>
        from_array(frames.Pixels).reshape(frames.Count, frames.Height, frames.Width, 3);
}
