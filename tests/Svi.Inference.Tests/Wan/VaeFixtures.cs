using Svi.Inference.Wan.Vae;

namespace Svi.Inference.Tests.Wan;

/// <summary>The golden sets' tiny random-weight VAEs (test fixtures, not the product).</summary>
static class VaeFixtures
{
    public static WanVideoVae Load(string set)
    {
        var config = WanVaeConfig.FromFile(GoldenSets.Path(Path.Combine(set, "config.json")));
        WanVideoVae vae = new WanVae(set == "vae22" ? config with { Generation = WanVaeGeneration.Wan22 } : config);
        using var weights = SafetensorsFile.Open(GoldenSets.Path(Path.Combine(set, "weights.safetensors")));
        vae.Load(weights);
        return vae;
    }

    public static Tensor ReadIo(string set, string name)
    {
        using var io = SafetensorsFile.Open(GoldenSets.Path(Path.Combine(set, "io.safetensors")));
        return io.Read(name).to(ScalarType.Float32);
    }

    public static double RelativeError(Tensor ours, Tensor reference)
    {
        using var scope = NewDisposeScope();
        var a = ours.to(ScalarType.Float64);
        var b = reference.to(ScalarType.Float64);
        return (a - b).norm().item<double>() / b.norm().item<double>();
    }
}
