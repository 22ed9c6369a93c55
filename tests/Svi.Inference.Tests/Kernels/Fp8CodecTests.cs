using Svi.Kernels.Fp8;

namespace Svi.Inference.Tests.Kernels;

public class Fp8CodecTests
{
    public static TheoryData<byte, float> E4M3Values => new()
    {
        { 0x00, 0f }, { 0x80, -0f },
        { 0x01, 1f / 512 },            // smallest subnormal: 2^-6 · 1/8
        { 0x07, 7f / 512 },            // largest subnormal
        { 0x08, 1f / 64 },             // smallest normal 2^-6
        { 0x38, 1f }, { 0xB8, -1f },
        { 0x3C, 1.5f }, { 0x40, 2f },
        { 0x7E, 448f }, { 0xFE, -448f }, // max: 2^8 · 1.75 (exponent 15 is a normal exponent in e4m3fn)
        { 0x78, 256f },
        { 0x7F, float.NaN }, { 0xFF, float.NaN },
    };

    public static TheoryData<byte, float> E5M2Values => new()
    {
        { 0x00, 0f }, { 0x80, -0f },
        { 0x01, 1f / 65536 },          // smallest subnormal 2^-14 · 1/4
        { 0x03, 3f / 65536 },
        { 0x04, 1f / 16384 },          // smallest normal 2^-14
        { 0x3C, 1f }, { 0xBC, -1f }, { 0x3E, 1.5f },
        { 0x7B, 57344f },              // max: 2^15 · 1.75
        { 0x7C, float.PositiveInfinity }, { 0xFC, float.NegativeInfinity },
        { 0x7D, float.NaN }, { 0x7E, float.NaN }, { 0x7F, float.NaN }, { 0xFF, float.NaN },
    };

    [Theory, MemberData(nameof(E4M3Values))]
    public void E4m3fn_byte_decodes_to_hand_computed_value(byte value, float expected) =>
        AssertSameFloat(expected, Fp8Codec.DecodeByte(value, Fp8Format.E4M3FN));

    [Theory, MemberData(nameof(E5M2Values))]
    public void E5m2_byte_decodes_to_hand_computed_value(byte value, float expected) =>
        AssertSameFloat(expected, Fp8Codec.DecodeByte(value, Fp8Format.E5M2));

    [Theory]
    [InlineData(Fp8Format.E4M3FN)]
    [InlineData(Fp8Format.E5M2)]
    public void Lookup_table_and_libtorch_float8_agree_on_all_256_bytes(Fp8Format format)
    {
        using var bytes = arange(256, dtype: ScalarType.Int32).to(ScalarType.Byte);
        using var viaTable = Fp8Codec.DecodeWithTable(bytes, format);
        using var f8 = Fp8Codec.FromBytes(bytes, format);
        using var viaLibtorch = Fp8Codec.DecodeNative(f8);
        var table = viaTable.data<float>().ToArray();
        var native = viaLibtorch.data<float>().ToArray();
        for (int b = 0; b < 256; b++)
        {
            float expected = Fp8Codec.DecodeByte((byte)b, format);
            AssertSameFloat(expected, table[b]);
            AssertSameFloat(expected, native[b]);
        }
    }

    [Fact]
    public void Table_decode_to_bfloat16_matches_float_decode_rounded()
    {
        using var bytes = arange(256, dtype: ScalarType.Int32).to(ScalarType.Byte);
        using var bf16 = Fp8Codec.DecodeWithTable(bytes, Fp8Format.E4M3FN, ScalarType.BFloat16);
        using var back = bf16.to(ScalarType.Float32);
        using var f32 = Fp8Codec.DecodeWithTable(bytes, Fp8Format.E4M3FN);
        // Every e4m3 value has 4 significant bits, so bf16 (8 bits) holds it exactly.
        TensorAssert.Equal(f32.nan_to_num(0), back.nan_to_num(0));
    }

    [Fact]
    public void Encode_then_bytes_round_trip_through_the_table()
    {
        using var values = tensor(new float[] { 0f, 1f, -1.5f, 448f, 0.013671875f, -2f / 512 });
        using var f8 = Fp8Codec.Encode(values, Fp8Format.E4M3FN);
        using var bytes = Fp8Codec.ToBytes(f8);
        using var decoded = Fp8Codec.DecodeWithTable(bytes, Fp8Format.E4M3FN);
        Assert.Equal(values.data<float>().ToArray(), decoded.data<float>().ToArray());
    }

    static void AssertSameFloat(float expected, float actual)
    {
        if (float.IsNaN(expected)) { Assert.True(float.IsNaN(actual), $"expected NaN, got {actual}"); return; }
        Assert.Equal(expected, actual);
        Assert.Equal(float.IsNegative(expected), float.IsNegative(actual));
    }
}
