namespace Svi.Inference.Tests.Runtime;

public sealed class CachingSviModelLoaderTests
{
    /// <summary>Counts loads and which loaded sets have been freed.</summary>
    sealed class CountingLoader : ISviModelLoader
    {
        public int Loads { get; private set; }
        public List<bool> Freed { get; } = [];
        public List<SviModelChoice> Choices { get; } = [];

        public SviModelSet Load(ModelFiles files, SviModelChoice choice)
        {
            int index = Loads++;
            Choices.Add(choice);
            Freed.Add(false);
            var experts = new ExpertPair(new StandInVelocityModel(36, 16, 11), new StandInVelocityModel(36, 16, 12));
            return new SviModelSet(experts, new StandInVae(), new StandInTextEncoder(), null, ScalarType.Float32, CPU,
                [new Callback(() => Freed[index] = true)]);
        }

        sealed class Callback(Action action) : IDisposable
        {
            public void Dispose() => action();
        }
    }

    static readonly SviModelChoice I2v = new(SviMode.ImageToVideo, SviRecipe.Distilled, Hd: false);
    static readonly SviModelChoice T2vFast = new(SviMode.TextToVideoFast, SviRecipe.Distilled, Hd: false);

    [Fact]
    public void A_recipe_or_resolution_change_is_another_model_set()
    {
        var inner = new CountingLoader();
        using var cache = new CachingSviModelLoader(inner);
        cache.Load(Files(), I2v).Dispose();
        cache.Load(Files(), I2v with { Hd = true }).Dispose();
        cache.Load(Files(), I2v with { Hd = true, Recipe = SviRecipe.Reference }).Dispose();
        Assert.Equal(3, inner.Loads);
        Assert.Equal([true, true, false], inner.Freed);
    }

    static ModelFiles Files(string variant = "fp8") => new(variant, new Dictionary<ModelRole, IReadOnlyList<string>>
    {
        [ModelRole.DitHigh] = [$"/models/{variant}/high.safetensors"],
    });

    [Fact]
    public void Two_jobs_of_the_same_mode_load_once_and_share_the_models()
    {
        var inner = new CountingLoader();
        using var cache = new CachingSviModelLoader(inner);
        ExpertPair first;
        using (var job1 = cache.Load(Files(), I2v)) first = job1.Experts;
        using (var job2 = cache.Load(Files(), I2v))
            Assert.Same(first, job2.Experts);
        Assert.Equal(1, inner.Loads);
        Assert.Equal([false], inner.Freed);
    }

    [Fact]
    public void A_mode_or_variant_change_frees_the_cached_set_and_loads_the_new_one()
    {
        var inner = new CountingLoader();
        var cache = new CachingSviModelLoader(inner);
        cache.Load(Files(), I2v).Dispose();
        cache.Load(Files(), T2vFast).Dispose();
        Assert.Equal([true, false], inner.Freed);
        cache.Load(Files("bf16"), T2vFast).Dispose();
        Assert.Equal([true, true, false], inner.Freed);
        cache.Dispose();
        Assert.Equal([true, true, true], inner.Freed);
        Assert.Equal(3, inner.Loads);
    }

    [Fact]
    public void A_set_still_held_by_a_running_job_is_freed_only_when_that_job_ends()
    {
        var inner = new CountingLoader();
        using var cache = new CachingSviModelLoader(inner);
        var running = cache.Load(Files(), I2v);
        using (cache.Load(Files(), I2v with { Mode = SviMode.TextToVideoQuality }))
        {
            Assert.False(inner.Freed[0]);
            running.Dispose();
            Assert.True(inner.Freed[0]);
            running.Dispose(); // a second Dispose of a lease does not free anything else
            Assert.False(inner.Freed[1]);
        }
        Assert.False(inner.Freed[1]); // cached for the next job
    }

    [Fact]
    public void Jobs_with_equal_lora_strengths_share_the_models_and_other_strengths_reload_the_experts()
    {
        var inner = new CountingLoader();
        using var cache = new CachingSviModelLoader(inner);
        var strong = I2v with { Loras = new([new(ModelRole.LoraHigh, 1.0), new(ModelRole.DistillLoraHigh, 3.0)]) };
        cache.Load(Files(), strong).Dispose();
        cache.Load(Files(), strong with { Loras = new([new(ModelRole.DistillLoraHigh, 3.0), new(ModelRole.LoraHigh, 1.0)]) }).Dispose();
        Assert.Equal(1, inner.Loads);

        cache.Load(Files(), strong with { Loras = new([new(ModelRole.LoraHigh, 1.0), new(ModelRole.DistillLoraHigh, 0.5)]) }).Dispose();
        Assert.Equal(2, inner.Loads);
        Assert.Equal([true, false], inner.Freed);
        Assert.Equal(new LoraStrengths([new(ModelRole.LoraHigh, 1.0), new(ModelRole.DistillLoraHigh, 0.5)]), inner.Choices[^1].Loras);
    }
}
