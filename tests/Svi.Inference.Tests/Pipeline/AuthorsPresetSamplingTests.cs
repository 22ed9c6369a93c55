using Svi.Inference.Rendering;
using Svi.Inference.Sampling;
using Svi.Inference.Tests.Rendering;
using Svi.Inference.Tests.Runtime;

namespace Svi.Inference.Tests.Pipeline;

/// <summary>The authors' distilled preset reaches the clip loop as their workflow's dpm++_sde, 3 + 3 steps.</summary>
[Collection(TinyModelLoadCollection.Name)]
public sealed class AuthorsPresetSamplingTests
{
    static SviDefaults Defaults(string? sampler = null) =>
        SviDefaults.From(new InferenceOptions { Distilled = new DistilledRecipeOptions { Preset = "authors", Sampler = sampler } });

    static GenerationSpec Spec => TestSpecs.Tiny() with { Recipe = SviRecipe.Distilled, Steps = null, Cfg = 1.5 };

    [Fact]
    public void Each_step_evaluates_each_expert_once_per_pass_at_the_dpm_tables_integer_timesteps_high_for_the_first_three()
    {
        var models = new StandInPipeline();
        var high = new RecordingExpert(models.High);
        var low = new RecordingExpert(models.Low);
        RenderOneClip(models, high, low, Defaults().For(Spec), seed: 5);

        // cfg 1.5: a positive and a negative pass per step; shift 8, 6 steps: ⌊1000σ⌋ = 999 975 941 | 888 799 615
        Assert.Equal(new float[] { 999, 999, 975, 975, 941, 941 }, high.Timesteps);
        Assert.Equal(new float[] { 888, 888, 799, 799, 615, 615 }, low.Timesteps);
        Assert.Equal(new FlowDpmSolverScheduler(6, 8.0, stochastic: true, 0).Timesteps, high.Timesteps.Concat(low.Timesteps).Distinct());
    }

    [Fact]
    public void The_seeded_sde_noise_reaches_the_frames_the_same_for_the_same_seed()
    {
        var models = new StandInPipeline();
        var sde = Defaults().For(Spec);
        byte[] Frames(SviSampling sampling, long seed) => RenderOneClip(models, models.High, models.Low, sampling, seed);

        Assert.Equal(Frames(sde, 5), Frames(sde, 5));
        // the same initial noise and table without the step noise (dpm++) gives other frames
        Assert.NotEqual(Frames(sde, 5), Frames(Defaults(FlowSamplers.DpmPlusPlus).For(Spec), 5));
    }

    [Fact]
    public void A_tiny_random_weights_render_with_the_authors_preset_completes()
    {
        string dir = Directory.CreateTempSubdirectory("svi-authors-").FullName;
        try
        {
            var files = TinySviModels.Write(Path.Combine(dir, "models"));
            var options = new InferenceOptions { Distilled = new DistilledRecipeOptions { Preset = "authors" } };
            var loader = SviModelLoader.From(options, TinySviModels.Architecture, ScalarType.Float32, () => SviPlacement.On(CPU));
            var render = new SviRender(loader, SviDefaults.From(options));
            var output = new RecordingRenderOutput();
            var fractions = new List<double>();
            var input = new RenderInput("authors", Spec, Path.Combine(dir, "work"))
            {
                AnchorImage = () => new RgbFrames(32, 32, Enumerable.Range(0, 32 * 32 * 3).Select(i => (byte)(i * 7 % 256)).ToArray()),
            };

            var outcome = render.Render(input, files, output, new InlineProgress(p => fractions.Add(p.Fraction)), CancellationToken.None);

            Assert.Equal((1, 81), (outcome.Clips, outcome.Frames));
            Assert.Equal(81, output.Clips[0].Count);
            // a report per step (six) and per stage, never going back
            Assert.True(fractions.Count >= 6, $"{fractions.Count} progress reports");
            Assert.Equal(fractions.Order(), fractions);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // → the clip's frames as bytes
    static byte[] RenderOneClip(StandInPipeline models, IVelocityModel high, IVelocityModel low, SviSampling sampling, long seed)
    {
        var pipeline = new SviPipeline(new ExpertPair(high, low), models.Vae, new SeededNoiseSource(), ScalarType.Float32, CPU);
        using var anchor = models.AnchorLatent();
        var run = models.Run(ClipPlanner.ForClips(1, 1), sampling, seed, anchor, ["p"]);
        var sink = new RecordingSink();
        pipeline.Run(run, sink, null, "run", null, CancellationToken.None);
        ((IDisposable)run.Contexts).Dispose();
        return sink.Video;
    }

    sealed class RecordingExpert(IVelocityModel inner) : IVelocityModel
    {
        public List<float> Timesteps { get; } = [];

        public Tensor Forward(Tensor x, Tensor timestep, Tensor context)
        {
            Timesteps.Add(timestep.item<float>());
            return inner.Forward(x, timestep, context);
        }
    }

    sealed class InlineProgress(Action<RenderProgress> report) : IProgress<RenderProgress>
    {
        public void Report(RenderProgress value) => report(value);
    }
}
