using static TorchSharp.torch;

namespace Svi.Kernels.Fp8;

/// <summary>
/// Decodes FP8 bytes to wider floats. Two equivalent paths: a 256-entry lookup table computed here from the bit
/// layout (works on any device and any libtorch), and libtorch's own float8 dtypes (<see cref="DecodeNative"/>).
/// Tests hold both to the hand-computed value of every byte.
/// </summary>
public static class Fp8Codec
{
    /// <summary>The exact value of one FP8 byte (NaN and ±infinity included).</summary>
    public static float DecodeByte(byte value, Fp8Format format)
    {
        bool negative = (value & 0x80) != 0;
        var (exponentBits, mantissaBits, bias) = format == Fp8Format.E4M3FN ? (4, 3, 7) : (5, 2, 15);
        int exponent = (value >> mantissaBits) & ((1 << exponentBits) - 1);
        int mantissa = value & ((1 << mantissaBits) - 1);
        int maxExponent = (1 << exponentBits) - 1;
        float magnitude;
        if (format == Fp8Format.E4M3FN && exponent == maxExponent && mantissa == 0b111)
            magnitude = float.NaN;
        else if (format == Fp8Format.E5M2 && exponent == maxExponent)
            magnitude = mantissa == 0 ? float.PositiveInfinity : float.NaN;
        else if (exponent == 0)
            magnitude = MathF.ScaleB(mantissa, 1 - bias - mantissaBits);
        else
            magnitude = MathF.ScaleB((1 << mantissaBits) + mantissa, exponent - bias - mantissaBits);
        return negative ? -magnitude : magnitude;
    }

    /// <summary>All 256 values in byte order, as a [256] float32 CPU tensor.</summary>
    public static Tensor LookupTable(Fp8Format format)
    {
        var values = new float[256];
        for (int b = 0; b < 256; b++) values[b] = DecodeByte((byte)b, format);
        return tensor(values);
    }

    /// <summary>
    /// Decodes raw FP8 bytes (a uint8 tensor) through the lookup table on the bytes' own device.
    /// bytes: [...] uint8 → [...] of <paramref name="dtype"/>.
    /// </summary>
    public static Tensor DecodeWithTable(Tensor bytes, Fp8Format format, ScalarType dtype = ScalarType.Float32)
    {
        if (bytes.dtype != ScalarType.Byte) throw new ArgumentException($"expected uint8 bytes, got {bytes.dtype}", nameof(bytes));
        using var scope = NewDisposeScope();
        var table = LookupTable(format).to(bytes.device);
        // A uint8 index tensor would be read as a boolean mask: index with int64.
        var decoded = table.index_select(0, bytes.flatten().to(ScalarType.Int64)).reshape(bytes.shape).to(dtype);
        return decoded.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Reinterprets bytes as a float8 tensor (a copy on the CPU: TorchSharp has no dtype view).
    /// bytes: [...] uint8 → [...] float8.
    /// </summary>
    public static unsafe Tensor FromBytes(Tensor bytes, Fp8Format format)
    {
        if (bytes.dtype != ScalarType.Byte) throw new ArgumentException($"expected uint8 bytes, got {bytes.dtype}", nameof(bytes));
        using var source = bytes.cpu().contiguous();
        var result = empty(source.shape, dtype: format.ScalarType());
        Buffer.MemoryCopy((void*)TensorMemory.DataPointer(source), (void*)TensorMemory.DataPointer(result), source.NumberOfElements, source.NumberOfElements);
        return result;
    }

    /// <summary>The raw bytes of a float8 tensor, as a uint8 CPU tensor. f8: [...] → [...] uint8.</summary>
    public static unsafe Tensor ToBytes(Tensor f8)
    {
        if (!Fp8Formats.IsFp8(f8.dtype)) throw new ArgumentException($"expected a float8 tensor, got {f8.dtype}", nameof(f8));
        using var source = f8.cpu().contiguous();
        var result = empty(source.shape, dtype: ScalarType.Byte);
        Buffer.MemoryCopy((void*)TensorMemory.DataPointer(source), (void*)TensorMemory.DataPointer(result), source.NumberOfElements, source.NumberOfElements);
        return result;
    }

    /// <summary>Decodes a float8 tensor with libtorch's own conversion. f8: [...] float8 → [...] of <paramref name="dtype"/>.</summary>
    public static Tensor DecodeNative(Tensor f8, ScalarType dtype = ScalarType.Float32)
    {
        if (!Fp8Formats.IsFp8(f8.dtype)) throw new ArgumentException($"expected a float8 tensor, got {f8.dtype}", nameof(f8));
        return f8.to(dtype);
    }

    /// <summary>
    /// Encodes floats to FP8 with libtorch's round-to-nearest-even. Values past the range do not saturate (they
    /// become NaN in e4m3fn, inf in e5m2): scale into range first, as the fp8-scaled files do.
    /// </summary>
    public static Tensor Encode(Tensor values, Fp8Format format) => values.to(format.ScalarType());
}
