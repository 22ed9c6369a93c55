using Svi.Kernels.Safetensors;
using static TorchSharp.torch;

namespace Svi.Kernels.Fp8;

/// <summary>The two 8-bit float encodings found in checkpoints (OCP FP8: e4m3 without infinities, e5m2 IEEE-like).</summary>
public enum Fp8Format
{
    /// <summary>1 sign, 4 exponent (bias 7), 3 mantissa bits; no infinities, only S.1111.111 is NaN; max 448.</summary>
    E4M3FN,
    /// <summary>1 sign, 5 exponent (bias 15), 2 mantissa bits; infinities and NaNs like IEEE half; max 57344.</summary>
    E5M2,
}

public static class Fp8Formats
{
    public static ScalarType ScalarType(this Fp8Format format) => format switch
    {
        Fp8Format.E4M3FN => SafetensorsDType.Float8E4M3FN,
        Fp8Format.E5M2 => SafetensorsDType.Float8E5M2,
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>The FP8 format of a libtorch dtype, or null when the dtype is not an 8-bit float.</summary>
    public static Fp8Format? FromScalarType(ScalarType type) => type switch
    {
        SafetensorsDType.Float8E4M3FN => Fp8Format.E4M3FN,
        SafetensorsDType.Float8E5M2 => Fp8Format.E5M2,
        _ => null,
    };

    public static bool IsFp8(ScalarType type) => FromScalarType(type) is not null;
}
