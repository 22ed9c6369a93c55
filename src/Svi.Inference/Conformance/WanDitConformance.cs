using Svi.Inference.Wan;
using Svi.Kernels.Safetensors;

namespace Svi.Inference.Conformance;

/// <summary>
/// <c>wan_dit</c> sets: builds the DiT from the set's config.json, loads weights.safetensors strictly, runs it on
/// the set's x (with y concatenated for i2v), t and context, and compares the RoPE table, every intermediate
/// the io file holds and the output.
/// </summary>
public sealed class WanDitConformance : IConformanceRunner
{
    static readonly HashSet<string> Inputs = ["x", "y", "t", "context", "seq_len", "rope_freqs_real", "out"];

    public string Component => "wan_dit";

    public void Run(ConformanceSet set, ConformanceReport report)
    {
        var config = WanConfig.FromJson(set.Config, set.FilePath("config.json"));
        using var weights = SafetensorsFile.Open(set.FilePath("weights.safetensors"));
        using var model = WanTransformer.Load(config, weights);

        if (set.Has("rope_freqs_real"))
        {
            var reference = set.Tensor("rope_freqs_real");
            report.Compare("rope_freqs_real", model.Rope.Table((int)reference.shape[0]), reference);
        }

        var x = set.Tensor("x");
        if (set.Has("y")) x = cat([x, set.Tensor("y")], 0);
        x = x.unsqueeze(0);
        var context = set.Tensor("context").unsqueeze(0);
        long tokens = x.shape[2] / config.PatchSize[0] * (x.shape[3] / config.PatchSize[1]) * (x.shape[4] / config.PatchSize[2]);
        var t = set.Tensor("t");
        // per-token timesteps cover seq_len tokens; the reference pads past the latent's own tokens
        if (t.dim() == 2) t = t[.., ..(int)tokens];

        var seen = new HashSet<string>();
        var output = model.Forward(x, t, context, (name, ours) =>
        {
            seen.Add(name);
            if (!set.Has(name)) return;
            var reference = set.Tensor(name);
            var sample = ours[0];
            if (reference.dim() == 2 && reference.shape[0] > sample.shape[0] && sample.shape[0] == tokens)
                reference = reference[..(int)tokens];
            report.Compare(name, sample, reference);
        });

        foreach (var name in set.Io.Keys.Where(k => !Inputs.Contains(k) && !seen.Contains(k)).Order())
            report.Exact(name, false, "the reference recorded this intermediate but the model produced nothing under that name");
        report.Compare("out", output[0], set.Tensor("out"));
    }
}
