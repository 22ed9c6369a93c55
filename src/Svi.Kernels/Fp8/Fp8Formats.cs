using Svi.Kernels.Safetensors;
using static TorchSharp.torch;

namespace Svi.Kernels.Fp8;

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
