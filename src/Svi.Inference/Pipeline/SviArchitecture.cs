using Svi.Inference.Wan;
using Svi.Inference.Wan.Umt5;
using Svi.Inference.Wan.Vae;

namespace Svi.Inference.Pipeline;

/// <summary>The architectures a deployment's weight files are for (the published A14B models unless a test says otherwise).</summary>
public sealed record SviArchitecture(WanConfig I2v, WanConfig T2v, WanVaeConfig Vae, Umt5Config TextEncoder, int TextLength)
{
    public static SviArchitecture Wan22A14B { get; } =
        new(WanConfig.I2vA14B, WanConfig.T2vA14B, WanVaeConfig.Wan21, Umt5Config.Xxl, Umt5Tokenizer.WanTextLength);
}
