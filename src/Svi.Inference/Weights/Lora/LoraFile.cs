namespace Svi.Inference.Weights;

/// <summary>
/// Reads LoRA files in the PEFT, kohya, LightX2V and diffusers forms through the one key parser, <see cref="LoraKeys"/>.
/// The factor follows the reference for each form: PEFT pairs are applied as B·A with no alpha/rank factor (the SVI
/// reference merges W + strength·B·A and ignores any <c>alpha</c> entries); kohya pairs are scaled by alpha/rank when
/// an <c>alpha</c> is present, else 1 (ComfyUI's rule, which the golden <c>svi_pipeline_distilled</c> set follows;
/// LightX2V's own loader applies no alpha, and its published distill files carry none or alpha = rank).
/// </summary>
public static class LoraFile
{
    /// <exception cref="WeightsMissingException">the file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">a key is not a LoRA key, or a pair is incomplete or mis-shaped.</exception>
    /// <param name="model">the model the LoRA is for; it shapes a random-weights LoRA (<see cref="Random.RandomWeightsPath"/>)</param>
    public static LoraSet Load(string path, nn.Module? model = null)
    {
        if (!Random.RandomWeightsPath.IsRandom(path) && !File.Exists(path))
            throw new WeightsMissingException(path, "LoRA file: download it or fix the path in the model settings.");
        using var checkpoint = CheckpointLoader.Open(path, model);
        var keys = LoraKeys.Parse(checkpoint.Keys.Select(k => (k, checkpoint.Header(k).Shape)));
        if (keys.Problems.Count > 0)
            throw new CheckpointFormatException(path, $"not a valid LoRA file: {string.Join("; ", keys.Problems.Take(20))}"
                + (keys.Problems.Count > 20 ? $"; … and {keys.Problems.Count - 20} more" : ""));

        var patches = new List<LoraPatch>();
        foreach (var pair in keys.Pairs)
        {
            double factor = 1.0;
            if (pair.AlphaKey is { } alphaKey)
            {
                using var alpha = checkpoint.Read(alphaKey).to(ScalarType.Float64);
                factor = alpha.item<double>() / pair.Rank;
            }
            patches.Add(new LoraPatch(pair, checkpoint.Read(pair.DownKey), checkpoint.Read(pair.UpKey), factor));
        }
        var diffs = keys.Diffs.Select(d => new LoraDiff(d, checkpoint.Read(d.Key))).ToList();
        return new LoraSet(path, patches, diffs);
    }
}
