namespace Svi.Inference.Pipeline;

/// <summary>
/// The reference's noise: N(0, 1) drawn in float32 on a CPU generator seeded with the clip's seed, then cast, so a
/// seed gives the same video on any device.
/// </summary>
public sealed class SeededNoiseSource : INoiseSource
{
    public Tensor Noise(int clip, long seed, long[] shape, ScalarType dtype, Device device)
    {
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        using var noise = randn(shape, ScalarType.Float32, CPU, generator: generator);
        return noise.to(dtype, device);
    }
}
