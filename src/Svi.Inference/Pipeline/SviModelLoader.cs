using Serilog;
using Svi.Inference.Runtime;
using Svi.Inference.Wan;
using Svi.Inference.Wan.Umt5;
using Svi.Inference.Weights;
using TorchSharp;

namespace Svi.Inference.Pipeline;

/// <summary>
/// Builds a generation's models from installed files through the production loaders: each expert is loaded (official
/// or Comfy key layout; FP8 weights decoded once at load when the placement has room for bf16 experts, else kept as
/// stored and decoded in every forward) and its SVI 2.0 Pro LoRA merged as W + strength·B·A (applied on the fly to FP8
/// kept as stored); the distilled recipe merges the LightX2V distill LoRAs on top (HIGH on the high-noise expert, the
/// Wan 2.1 I2V 480p distill on the low one at every resolution); every one of those four at the choice's strength
/// (<see cref="SviModelChoice.Loras"/>, the deployment's where it names none); the fast text-to-video tier merges the
/// Wan 2.2 Lightning LoRAs made for T2V-A14B into the text-to-video experts. Experts are built in host memory and go to
/// the device through <see cref="ExpertSlots"/> as the memory plan allows. The placement is asked for at the first
/// load, so a worker plans its device only when it needs one.
/// </summary>
public sealed class SviModelLoader(SviArchitecture architecture, ScalarType dtype, Func<SviPlacement> placement) : ISviModelLoader
{
    static readonly ILogger Log = Serilog.Log.ForContext<SviModelLoader>();

    public SviModelLoader(SviArchitecture architecture, ScalarType dtype, Device device)
        : this(architecture, dtype, () => SviPlacement.On(device)) { }

    /// <summary>
    /// The strengths of a choice that names none (or not all): the deployment's, by default the SVI LoRAs at 1.0 and
    /// Kijai's workflow's LightX2V pair (HIGH 1.0, LOW 1.0; the authors' HIGH is 0.5).
    /// </summary>
    public LoraStrengths DefaultLoras { get; init; } = new SviDefaults().LorasFor(SviRecipe.Distilled);
    /// <summary>The Wan 2.2 Lightning T2V-A14B LoRAs are made to run at full strength.</summary>
    public double T2vDistillStrength { get; init; } = 1.0;
    /// <summary>How expert weights move between host and device under a placement's memory plan.</summary>
    public Func<SviPlacement, IWeightMover> Movers { get; init; } = place => WeightMovers.For(place.Memory, place.Models);

    /// <summary>The loader a deployment's <c>Svi:Inference</c> options describe.</summary>
    public static SviModelLoader From(InferenceOptions options, SviArchitecture architecture, ScalarType dtype,
        Func<SviPlacement> placement) => new(architecture, dtype, placement)
        {
            DefaultLoras = SviDefaults.From(options).LorasFor(SviRecipe.Distilled),
        };

    /// <summary>The loader a deployment's <c>Svi:Inference</c> options describe, in the deployment's precision (bf16).</summary>
    public static SviModelLoader From(InferenceOptions options, SviArchitecture architecture, Func<SviPlacement> placement) =>
        From(options, architecture, ScalarType.BFloat16, placement);

    public SviModelSet Load(ModelFiles files, SviModelChoice choice)
    {
        var mode = choice.Mode;
        bool distilled = choice.Recipe == SviRecipe.Distilled;
        var strengths = DefaultLoras.With(choice.Loras);
        var place = placement();
        var device = place.Models;
        Log.Information("Loading {Choice} models ({Variant}) for {Device} ({Experts}), text encoder on {TextDevice}, {DType}, LoRAs at {Strengths}",
            choice.ToString(), files.Variant, device.ToString(), place.ToString(), place.TextEncoder.ToString(), dtype,
            strengths.ToString());
        var mover = Movers(place);
        var slots = new ExpertSlots(place.ExpertCapacity, mover);
        var owned = new List<IDisposable>();
        if (mover is IDisposable disposableMover) owned.Add(disposableMover);
        try
        {
            WanVelocityModel Expert(string name, WanConfig config, string checkpoint, IEnumerable<(string, double)> loras)
            {
                var model = LoadExpert(config, checkpoint, loras, dtype, CPU, place.DecodeFp8);
                owned.Add(model);
                return new WanVelocityModel(model,
                    slots.Add(name, model, Math.Min(place.ResidentBlocks ?? model.Blocks.Count, model.Blocks.Count)));
            }

            (string, double) Lora(ModelRole role) => (Single(files, role), strengths.Get(role)
                ?? throw new InvalidOperationException($"no strength for the {LoraStrengths.Name(role)} LoRA"));

            var high = Expert("high-noise expert", architecture.I2v, Single(files, ModelRole.DitHigh),
                [Lora(ModelRole.LoraHigh), .. distilled ? [Lora(ModelRole.DistillLoraHigh)] : Array.Empty<(string, double)>()]);
            // Image-to-video runs these first: on the device as soon as loaded, so the host never holds more than it must.
            if (mode == SviMode.ImageToVideo) slots.Admit(high.Residency!);
            var low = Expert("low-noise expert", architecture.I2v, Single(files, ModelRole.DitLow),
                [Lora(ModelRole.LoraLow), .. distilled ? [Lora(ModelRole.DistillLoraLow)] : Array.Empty<(string, double)>()]);
            if (mode == SviMode.ImageToVideo && slots.Capacity > 1) slots.Admit(low.Residency!);
            var vae = WanVae.Load(Single(files, ModelRole.Vae), architecture.Vae, device, dtype);
            owned.Add(vae);
            string tokenizer = Single(files, ModelRole.Tokenizer);
            var text = Umt5TextEncoder.Load(tokenizer, Single(files, ModelRole.TextEncoder),
                architecture.TextEncoder, dtype, place.TextEncoder, device, architecture.TextLength, files.TensorIn(tokenizer));
            owned.Add(text);
            ExpertPair? anchor = null;
            if (mode != SviMode.ImageToVideo)
            {
                bool fast = mode == SviMode.TextToVideoFast;
                anchor = new ExpertPair(
                    Expert("text-to-video high-noise expert", architecture.T2v, Single(files, ModelRole.T2vDitHigh),
                        fast ? [(Single(files, ModelRole.T2vDistillLoraHigh), T2vDistillStrength)] : []),
                    Expert("text-to-video low-noise expert", architecture.T2v, Single(files, ModelRole.T2vDitLow),
                        fast ? [(Single(files, ModelRole.T2vDistillLoraLow), T2vDistillStrength)] : []));
            }
            return new SviModelSet(new ExpertPair(high, low), vae, text, anchor, dtype, device, owned)
            {
                BatchedGuidance = place.BatchedGuidance,
            };
        }
        catch
        {
            foreach (var item in owned) item.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A Wan DiT from its checkpoint with each LoRA merged as W + strength·(alpha/rank)·B·A (<see cref="LoraFile"/> gives
    /// each form's factor). FP8 linears are decoded once to <paramref name="dtype"/> when <paramref name="decodeFp8"/>
    /// is set, so their LoRAs merge like any other; otherwise they stay FP8 and their LoRAs run on the fly.
    /// </summary>
    public static WanTransformer LoadExpert(WanConfig config, string checkpoint, IEnumerable<(string Path, double Strength)> loras,
        ScalarType dtype, Device device, bool decodeFp8 = false)
    {
        var model = new WanTransformer(config, dtype);
        try
        {
            var report = CheckpointLoader.Load(model, checkpoint, new WeightLoadOptions(KeepFp8: !decodeFp8));
            if (report.DecodedFp8 > 0)
                Log.Information("Loaded {Checkpoint} ({Layout} layout): {Decoded} FP8 weights decoded once to {DType}, LoRAs merged into them",
                    checkpoint, report.Layout, report.DecodedFp8, dtype);
            else if (report.KeptFp8 > 0)
                Log.Information("Loaded {Checkpoint} ({Layout} layout): {Kept} FP8 weights kept FP8 and decoded in every forward, their LoRAs on the fly",
                    checkpoint, report.Layout, report.KeptFp8);
            else
                Log.Information("Loaded {Checkpoint} ({Layout} layout)", checkpoint, report.Layout);
            foreach (var (path, strength) in loras)
            {
                using var lora = LoraFile.Load(path, model);
                Lora.Apply(model, lora, strength, LoraMode.Merge);
                Log.Information("Applied LoRA {Lora} at strength {Strength}", path, strength);
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
