using static TorchSharp.torch;

namespace Svi.Kernels.Safetensors;

/// <summary>The safetensors dtype names and their libtorch scalar types.</summary>
public static class SafetensorsDType
{
    /// <summary>libtorch's c10 numbering: TorchSharp's enum has no float8 members, but libtorch accepts the values.</summary>
    public const ScalarType Float8E5M2 = (ScalarType)23;
    public const ScalarType Float8E4M3FN = (ScalarType)24;

    public static int ElementSize(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "F8_E4M3" or "F8_E5M2" or "I8" or "U8" or "BOOL" => 1,
        _ => throw new NotSupportedException($"safetensors dtype '{dtype}' is not supported"),
    };

    public static ScalarType ToScalarType(string dtype) => dtype switch
    {
        "F64" => ScalarType.Float64,
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        "F8_E4M3" => Float8E4M3FN,
        "F8_E5M2" => Float8E5M2,
        _ => throw new NotSupportedException($"safetensors dtype '{dtype}' is not supported"),
    };

    public static string FromScalarType(ScalarType type) => type switch
    {
        ScalarType.Float64 => "F64",
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        Float8E4M3FN => "F8_E4M3",
        Float8E5M2 => "F8_E5M2",
        _ => throw new NotSupportedException($"no safetensors dtype for {type}"),
    };
}
