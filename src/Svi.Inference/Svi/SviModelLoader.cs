using Serilog;
using TorchSharp;
using Svi.Inference.Runtime;
using Svi.Inference.Text;
using Svi.Inference.Wan;
using Svi.Inference.Wan.Umt5;
using Svi.Inference.Wan.Vae;
using Svi.Inference.Weights;
using static TorchSharp.torch;

namespace Svi.Inference.Svi;

/// <summary>The architectures a deployment's weight files are for (the published A14B models unless a test says otherwise).</summary>
public sealed record SviArchitecture(WanConfig I2v, WanConfig T2v, WanVaeConfig Vae, Umt5Config TextEncoder, int TextLength)
{
    public static SviArchitecture Wan22A14B { get; } =
        new(WanConfig.I2vA14B, WanConfig.T2vA14B, WanVaeConfig.Wan21, Umt5Config.Xxl, Umt5Tokenizer.WanTextLength);
}

/// <summary>
/// Builds a generation's models from installed files through the production loaders: each expert is loaded
/// (official or Comfy key layout, FP8 kept as stored) and its SVI 2.0 Pro LoRA merged as W + strength·B·A; the
/// text-to-video experts get the distill LoRAs in the fast tier.
/// </summary>
public sealed class SviModelLoader(SviArchitecture architecture, ScalarType dtype, Device device) : ISviModelLoader
{
    static readonly ILogger Log = Serilog.Log.ForContext<SviModelLoader>();

    public double LoraStrength { get; init; } = 1.0;
    public double DistillLoraStrength { get; init; } = 1.0;

    public SviModelSet Load(ModelFiles files, SviMode mode)
    {
        var owned = new List<IDisposable>();
        try
        {
            var high = LoadExpert(architecture.I2v, Single(files, ModelRole.DitHigh), [(Single(files, ModelRole.LoraHigh), LoraStrength)], dtype, device);
            owned.Add(high);
            var low = LoadExpert(architecture.I2v, Single(files, ModelRole.DitLow), [(Single(files, ModelRole.LoraLow), LoraStrength)], dtype, device);
            owned.Add(low);
            var vae = WanVae21.Load(Single(files, ModelRole.Vae), architecture.Vae, device, dtype);
            owned.Add(vae);
            var text = Umt5TextEncoder.Load(Single(files, ModelRole.Tokenizer), Single(files, ModelRole.TextEncoder),
                architecture.TextEncoder, dtype, device, device, architecture.TextLength);
            owned.Add(text);
            ExpertPair? anchor = null;
            if (mode != SviMode.ImageToVideo)
            {
                bool fast = mode == SviMode.TextToVideoFast;
                var t2vHigh = LoadExpert(architecture.T2v, Single(files, ModelRole.T2vDitHigh),
                    fast ? [(Single(files, ModelRole.DistillLoraHigh), DistillLoraStrength)] : [], dtype, device);
                owned.Add(t2vHigh);
                var t2vLow = LoadExpert(architecture.T2v, Single(files, ModelRole.T2vDitLow),
                    fast ? [(Single(files, ModelRole.DistillLoraLow), DistillLoraStrength)] : [], dtype, device);
                owned.Add(t2vLow);
                anchor = new ExpertPair(new WanVelocityModel(t2vHigh), new WanVelocityModel(t2vLow));
            }
            return new SviModelSet(new ExpertPair(new WanVelocityModel(high), new WanVelocityModel(low)), vae, text, anchor,
                dtype, device, owned);
        }
        catch
        {
            foreach (var item in owned) item.Dispose();
            throw;
        }
    }

    /// <summary>A Wan DiT from its checkpoint with each LoRA merged (W + strength·B·A, no rank/alpha factor).</summary>
    public static WanTransformer LoadExpert(WanConfig config, string checkpoint, IEnumerable<(string Path, double Strength)> loras,
        ScalarType dtype, Device device)
    {
        var model = new WanTransformer(config, dtype);
        try
        {
            var report = CheckpointLoader.Load(model, checkpoint);
            Log.Information("Loaded {Checkpoint} ({Layout} layout)", checkpoint, report.Layout);
            foreach (var (path, strength) in loras)
            {
                using var lora = LoraFile.Load(path);
                Lora.Apply(model, lora, strength, LoraMode.Merge);
                Log.Information("Merged LoRA {Lora} at strength {Strength}", path, strength);
            }
            model.to(device);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The one checkpoint path of a role: the file itself, or a sharded checkpoint's index.</summary>
    static string Single(ModelFiles files, ModelRole role)
    {
        var paths = files.Get(role);
        if (paths.Count == 0)
            throw new WeightsMissingException(role.ToString(), WeightsMissingException.DefaultHint);
        if (paths.Count == 1) return paths[0];
        return paths.FirstOrDefault(p => p.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase))
            ?? throw new CheckpointFormatException(paths[0],
                $"{role} has {paths.Count} shards but no .safetensors.index.json to join them");
    }
}
