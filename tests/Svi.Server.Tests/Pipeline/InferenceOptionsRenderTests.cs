using Microsoft.Extensions.Configuration;
using Svi.Server.Tests.Media;
using static TorchSharp.torch;

namespace Svi.Server.Tests.Pipeline;

/// <summary>The renderer as the deployment's Svi:Inference options configure it, on the tiny model set.</summary>
public sealed class InferenceOptionsRenderTests : FfmpegScratchTests
{
    /// <summary>The observable seam: how often the production loader really loaded.</summary>
    sealed class CountingLoader(ISviModelLoader inner) : ISviModelLoader
    {
        public int Loads;
        public List<SviModelChoice> Choices { get; } = [];
        public SviModelSet Load(ModelFiles files, SviModelChoice choice)
        {
            Interlocked.Increment(ref Loads);
            lock (Choices) Choices.Add(choice);
            return inner.Load(files, choice);
        }
    }

    sealed class Fractions : IProgress<RenderProgress>
    {
        readonly List<double> seen = [];
        public void Report(RenderProgress value) { lock (seen) seen.Add(value.Fraction); }
        public double[] Distinct() { lock (seen) return seen.Select(f => Math.Round(f, 6)).Distinct().Order().ToArray(); }
    }

    string Image()
    {
        string image = Path.Combine(Scratch, "input.png");
        AnchorImage.SavePng(FfmpegVideoMediaTests.Gradient(40, 30, 1).Rgb24.Span, 40, 30, image);
        return image;
    }

    static GenerationSpec Spec() => TestSpecs.Tiny() with { Prompts = ["a boat"], Cfg = 4, Seed = 5 };

    [Fact]
    public async Task Distilled_recipe_renders_with_its_own_steps_and_the_requests_cfg_and_two_jobs_load_the_models_once()
    {
        var options = new InferenceOptions();
        options.Distilled.Steps = 3;
        options.Distilled.HighNoiseSteps = 1;
        var counting = new CountingLoader(SviModelLoader.From(options, TinySviModels.Architecture, ScalarType.Float32,
            () => SviPlacement.On(CPU)));
        using var cache = new CachingSviModelLoader(counting);
        var renderer = new SviVideoRenderer(new FixedModelInventory(TinySviModels.Write(Path.Combine(Scratch, "models"))),
            cache, Media, SviDefaults.From(options));
        string image = Image();
        // The spec as the server stores it: the recipe, its steps at submit, and the request's cfg 1.5 (negative pass on).
        var spec = Spec() with { Recipe = SviRecipe.Distilled, Steps = null, Cfg = 1.5 };

        var progress = new Fractions();
        var first = await renderer.RenderAsync(RenderJobs.For("fast1", spec, Path.Combine(Scratch, "job1"), image),
            progress, CancellationToken.None);
        var second = await renderer.RenderAsync(RenderJobs.For("fast2", spec with { Seed = 6 }, Path.Combine(Scratch, "job2"), image),
            new Fractions(), CancellationToken.None);

        // One 81-frame clip of the recipe's 3 guided steps (2 forwards each), then its decode (3 forwards' worth), its
        // encode (0.5) and the join (0.5): 10 in all, so the steps read 0.2, 0.4, 0.6, decoding ends at 0.9, encoding at 0.95.
        Assert.Equal(new[] { 0.0, 0.2, 0.4, 0.6, 0.9, 0.95, 1.0 }, progress.Distinct());
        Assert.Equal(1, counting.Loads);
        Assert.Equal(new SviModelChoice(SviMode.ImageToVideo, SviRecipe.Distilled, Hd: false,
            Loras: SviDefaults.From(options).LorasFor(SviRecipe.Distilled)), Assert.Single(counting.Choices));
        foreach (var result in new[] { first, second })
            Assert.Equal(81, (await Media.ProbeAsync(result.VideoPath, CancellationToken.None)).Frames);
    }

    [Fact]
    public void Host_registration_takes_defaults_from_Svi_Inference_and_plans_the_device_only_at_the_first_load()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Svi:ModelsDirectory"] = Path.Combine(Scratch, "none"),
            ["Svi:Inference:Steps"] = "12",
            ["Svi:Inference:Shift"] = "3",
            ["Svi:Inference:Recipe"] = "reference",
            ["Svi:Inference:Distilled:Steps"] = "4",
            ["Svi:Inference:Distilled:Guidance"] = "2",
            ["Svi:Inference:Device"] = "cpu",
        }).Build();
        using var provider = new ServiceCollection().AddSviInference(configuration).BuildServiceProvider();

        var defaults = provider.GetRequiredService<SviDefaults>();
        Assert.Equal(SviRecipe.Reference, defaults.Recipe);
        Assert.Equal(12, defaults.Reference.Steps);
        Assert.Equal(3, defaults.Reference.Shift);
        Assert.Equal((4, 5.0, 3, 2.0), (defaults.Distilled.Steps, defaults.Distilled.Shift, defaults.Distilled.HighNoiseSteps!.Value, defaults.Distilled.DefaultCfg));
        // No weights installed here: resolving the loader must not plan (which would fail) — only a job's load does.
        Assert.IsType<CachingSviModelLoader>(provider.GetRequiredService<ISviModelLoader>());
        Assert.IsType<SviVideoRenderer>(provider.GetRequiredService<IVideoRenderer>());
    }
}
