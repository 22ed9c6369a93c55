namespace Svi.Inference.Pipeline;

/// <summary>Where a clip's initial noise comes from (a seam: conformance sets supply the reference's own noise).</summary>
public interface INoiseSource
{
    // → [1, z, T, h, w] in dtype on device
    Tensor Noise(int clip, long seed, long[] shape, ScalarType dtype, Device device);
}
