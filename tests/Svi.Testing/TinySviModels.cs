using Svi.Inference.Wan;
using Svi.Inference.Wan.Umt5;
using Svi.Inference.Wan.Vae;

namespace Svi.Testing;

/// <summary>
/// A complete tiny SVI model set written in the real file layouts: experts with official keys (high) and the ComfyUI
/// single-file prefix (low), the SVI and LightX2V LoRAs in their published key forms (<see cref="PublishedLoraForms"/>),
/// the Wan 2.1 VAE and UMT5 with official keys, a SentencePiece <c>spiece.model</c>, the T2V experts and their distill
/// LoRAs (PEFT, <c>diffusion_model.</c> prefix). Random weights: a fixture, never a model.
/// </summary>
public static class TinySviModels
{
    public static SviArchitecture Architecture { get; } = new(
        I2v: new WanConfig(
            ModelType: "i2v", PatchSize: [1, 2, 2], TextLen: 16, InDim: 36, Dim: 32, FfnDim: 64, FreqDim: 256,
            TextDim: 32, OutDim: 16, NumHeads: 2, NumLayers: 1, QkNorm: true, CrossAttnNorm: true, Eps: 1e-6),
        T2v: new WanConfig(
            ModelType: "t2v", PatchSize: [1, 2, 2], TextLen: 16, InDim: 16, Dim: 32, FfnDim: 64, FreqDim: 256,
            TextDim: 32, OutDim: 16, NumHeads: 2, NumLayers: 1, QkNorm: true, CrossAttnNorm: true, Eps: 1e-6),
        Vae: WanVaeConfig.Wan21 with { Dim = 8, DecoderDim = 8, NumResBlocks = 1 },
        TextEncoder: new Umt5Config(Vocab: 64, Dim: 32, DimAttn: 32, DimFfn: 64, NumHeads: 2, NumLayers: 1, NumBuckets: 8),
        TextLength: 16);

    public static ModelFiles Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var files = new Dictionary<ModelRole, IReadOnlyList<string>>();
        // The path of the role's file, which the set then lists under that role.
        string FileFor(ModelRole role, string name) => (files[role] = [Path.Combine(directory, name)])[0];

        using (var i2v = new WanTransformer(Architecture.I2v))
        {
            TinyCheckpoints.WriteModule(i2v, FileFor(ModelRole.DitHigh, "high_noise_model.safetensors"), seed: 1);
            TinyCheckpoints.WriteModule(i2v, FileFor(ModelRole.DitLow, "low_noise_model_comfy.safetensors"), seed: 2, keyPrefix: TinyCheckpoints.ComfyDiffusionModelPrefix);
            PublishedLoraForms.Write(FileFor(ModelRole.LoraHigh, "svi_high_lora.safetensors"), PublishedLoraForms.SviPro(Architecture.I2v, rank: 4), seed: 3);
            PublishedLoraForms.Write(FileFor(ModelRole.LoraLow, "svi_low_lora.safetensors"), PublishedLoraForms.SviPro(Architecture.I2v, rank: 4), seed: 4);
            PublishedLoraForms.Write(FileFor(ModelRole.DistillLoraHigh, "lightx2v_high_lora.safetensors"), PublishedLoraForms.Wan22Lightx2vHigh(Architecture.I2v, rank: 4), seed: 11);
            // The 480p distill in its fullest published key form (lora_down/up, diff, diff_b and LightX2V's diff_m).
            PublishedLoraForms.Write(FileFor(ModelRole.DistillLoraLow, "lightx2v_480p_lora.safetensors"),
                PublishedLoraForms.Wan21I2vLightx2v(Architecture.I2v, rank: 4, lightx2vHosted: true), seed: 12);
        }
        using (var t2v = new WanTransformer(Architecture.T2v))
        {
            TinyCheckpoints.WriteModule(t2v, FileFor(ModelRole.T2vDitHigh, "t2v_high.safetensors"), seed: 5);
            TinyCheckpoints.WriteModule(t2v, FileFor(ModelRole.T2vDitLow, "t2v_low.safetensors"), seed: 6);
            TinyCheckpoints.WritePeftLora(t2v, FileFor(ModelRole.T2vDistillLoraHigh, "distill_high_lora.safetensors"), rank: 4, seed: 7);
            TinyCheckpoints.WritePeftLora(t2v, FileFor(ModelRole.T2vDistillLoraLow, "distill_low_lora.safetensors"), rank: 4, seed: 8);
        }
        using (var vae = new WanVae(Architecture.Vae))
            TinyCheckpoints.WriteModule(vae, FileFor(ModelRole.Vae, "Wan2.1_VAE.safetensors"), seed: 9);
        using (var text = new Umt5Encoder(Architecture.TextEncoder))
            TinyCheckpoints.WriteModule(text, FileFor(ModelRole.TextEncoder, "umt5-xxl-enc.safetensors"), seed: 10);
        TinySentencePiece.Write(FileFor(ModelRole.Tokenizer, "spiece.model"));

        return new ModelFiles("tiny", files);
    }
}
