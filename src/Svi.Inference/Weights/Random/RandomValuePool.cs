namespace Svi.Inference.Weights.Random;

/// <summary>
/// One seeded block of uniform values in [-1, 1) that random tensors are cut from, at offsets derived from each key.
/// Drawing 14 billion values per A14B expert from a generator would take minutes on a host; copying from a pool runs
/// at memory speed, and a tensor smaller than the pool (every tiny-architecture tensor) is still fully random.
/// </summary>
public sealed class RandomValuePool : IDisposable
{
    public const long DefaultLength = 1L << 24;

    // SplitMix64 in managed code rather than a torch Generator: the values must be the same in every process and
    // on every libtorch build, or a resumed job would not continue the video it started.
    public RandomValuePool(long seed, long length = DefaultLength)
    {
        var values = new float[length];
        var bytes = new byte[length];
        ulong state = unchecked((ulong)seed);
        for (long i = 0; i < length; i++)
        {
            ulong z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            values[i] = (float)((z >> 40) * (2.0 / (1UL << 24)) - 1.0);
            // e4m3fn bytes with exponent field 0…6, any mantissa and sign: finite, never NaN, magnitude below 1.
            bytes[i] = (byte)((z & 0x80) | ((z >> 8) % 0x38));
        }
        Values = tensor(values);
        Fp8Bytes = tensor(bytes);
    }

    /// <summary>Largest magnitude an <see cref="Fp8Bytes"/> value decodes to (exponent 6, mantissa 7: 1.875 · 2^-1).</summary>
    public const double Fp8MaxMagnitude = 0.9375;

    public Tensor Values { get; }
    public Tensor Fp8Bytes { get; }
    public long Length => Values.NumberOfElements;

    public void Dispose()
    {
        Values.Dispose();
        Fp8Bytes.Dispose();
    }
}
