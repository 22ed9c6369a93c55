namespace Svi.Inference.Interpolation;

/// <summary>Synthesises the frame halfway between two rgb24 frames of the same size.</summary>
public interface IFrameInterpolator
{
    // first, second: [H, W, 3] rgb24 → [H, W, 3] rgb24 at timestep 0.5
    byte[] Middle(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, int width, int height);
}
