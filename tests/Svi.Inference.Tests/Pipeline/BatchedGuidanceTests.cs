namespace Svi.Inference.Tests.Pipeline;

public sealed class BatchedGuidanceTests : IDisposable
{
    static readonly WanConfig Config = TinySviModels.Architecture.I2v;
    readonly string directory = Directory.CreateTempSubdirectory("svi-cfg-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Positive_and_negative_in_one_batch_render_what_two_forwards_render()
    {
        using var high = Expert(seed: 1);
        using var low = Expert(seed: 2);
        var twoForwards = Render(high, low, batched: false);
        var oneBatch = Render(high, low, batched: true);
        for (int clip = 0; clip < twoForwards.Count; clip++)
        {
            // fp32, 1e-5: the same arithmetic up to BLAS blocking for batch 2
            double error = (oneBatch[clip] - twoForwards[clip]).norm().item<float>() / twoForwards[clip].norm().item<float>();
            Assert.True(error < 1e-5, $"clip {clip}: batched guidance differs by rel {error:E2}");
        }
        foreach (var t in twoForwards.Concat(oneBatch)) t.Dispose();
    }

    WanTransformer Expert(long seed)
    {
        string path = Path.Combine(directory, $"expert{seed}.safetensors");
        using (var module = new WanTransformer(Config))
            TinyCheckpoints.WriteModule(module, path, seed);
        return SviModelLoader.LoadExpert(Config, path, [], ScalarType.Float32, CPU);
    }

    static List<Tensor> Render(WanTransformer high, WanTransformer low, bool batched)
    {
        var standIn = new StandInPipeline();
        var latents = new LatentRecorder();
        var pipeline = new SviPipeline(new ExpertPair(new WanVelocityModel(high), new WanVelocityModel(low)), standIn.Vae,
            new SeededNoiseSource(), ScalarType.Float32, CPU)
        {
            Observer = latents,
            BatchedGuidance = batched,
        };
        using var anchor = standIn.AnchorLatent();
        using var contexts = new EncodedClipContexts(new StandInTextEncoder(textLen: 8, textDim: Config.TextDim),
            new PromptSchedule(["p"]), "negative");
        using (no_grad())
            pipeline.Run(new SviRun(ClipPlanner.ForClips(2, 1), new SviSampling(Steps: 4, Shift: 5, Boundary: 0.875, Cfg: 4), 5, anchor, contexts),
                new RecordingSink(), null, "run", null, CancellationToken.None);
        return latents.Latents;
    }

    sealed class LatentRecorder : ISviObserver
    {
        public List<Tensor> Latents { get; } = [];
        public void Finished(int clip, Tensor latent, Tensor decoded) => Latents.Add(latent.clone().DetachFromDisposeScope());
    }
}
