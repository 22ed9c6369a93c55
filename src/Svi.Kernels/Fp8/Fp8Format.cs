namespace Svi.Kernels.Fp8;

/// <summary>The two 8-bit float encodings found in checkpoints (OCP FP8: e4m3 without infinities, e5m2 IEEE-like).</summary>
public enum Fp8Format
{
    /// <summary>1 sign, 4 exponent (bias 7), 3 mantissa bits; no infinities, only S.1111.111 is NaN; max 448.</summary>
    E4M3FN,
    /// <summary>1 sign, 5 exponent (bias 15), 2 mantissa bits; infinities and NaNs like IEEE half; max 57344.</summary>
    E5M2,
}
