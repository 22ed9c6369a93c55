namespace Svi.Server.Tests.Storage;

/// <summary>The <c>generations.spec</c> JSONB column: every field round-trips, and rows from before it read the same way.</summary>
public sealed class StoredSpecTests : FreshDatabaseTests
{
    static GenerationRecord Record(GenerationSpec spec) => new()
    {
        Id = GenerationIds.New(),
        Owner = "",
        Surface = "native",
        Status = GenerationStatus.Queued,
        Spec = spec,
        SecondsText = "60",
        ClipsTotal = 12,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
    };

    [Fact]
    public async Task Every_field_of_the_spec_round_trips_through_the_jsonb_column()
    {
        await Migrations.ApplyAsync(DataSource);
        var store = new GenerationStore(DataSource);
        var spec = TestSpecs.Tiny(60, 480, 832, image: false, T2vQuality.Fast) with
        {
            Prompts = ["a fox", "the fox jumps \"high\"\n---\nand lands"],
            NegativePrompt = "色调艳丽",
            Recipe = SviRecipe.Distilled,
            Steps = 6,
            Fps = 32,
            Cfg = 1.25,
            Seed = long.MaxValue,
            MotionLatents = 2,
            Boundary = 0.9,
            Shift = 7,
            LoraStrengths = new([new(ModelRole.LoraHigh, 0.8), new(ModelRole.DistillLoraLow, 2.5)]),
        };
        var record = await store.InsertAsync(Record(spec), CancellationToken.None);

        var read = (await store.GetAsync(record.Id, CancellationToken.None))!.Spec;
        Assert.Equal(SpecJson.Text(spec), SpecJson.Text(read));
        Assert.Equal(spec.Prompts, read.Prompts);
        Assert.Equal(spec with { Prompts = read.Prompts }, read);
        Assert.Equal(SpecJson.Version, await Database.ScalarAsync<int>($"SELECT spec_version FROM generations WHERE id = '{record.Id}'"));
    }

    [Fact]
    public async Task A_row_written_before_the_spec_column_reads_as_the_spec_it_was_rendered_with()
    {
        await Migrations.ApplyThroughAsync(DataSource, 7);
        string id = GenerationIds.New();
        await Database.ExecuteAsync($"""
            INSERT INTO generations (id, owner, surface, status, model, prompts, negative_prompt, width, height, duration_seconds,
                seconds_text, cfg, seed, t2v_quality, has_image, clips_total, clips_completed, created_at, recipe, steps, fps)
            VALUES ('{id}', 'owner', 'openai', 'completed', 'svi-2-0-pro', '["a boat", "the boat turns"]', 'blurry', 480, 832, 18,
                '18', 4.5, 123456789012, 'fast', true, 4, 4, now(), 'reference', 50, 32)
            """);
        await Migrations.ApplyAsync(DataSource);

        var record = (await new GenerationStore(DataSource).GetAsync(id, CancellationToken.None))!;
        var spec = record.Spec;
        Assert.Equal(("svi-2-0-pro", "blurry", 480, 832, 18.0), (spec.Model, spec.NegativePrompt, spec.Width, spec.Height, spec.DurationSeconds));
        Assert.Equal(["a boat", "the boat turns"], spec.Prompts);
        Assert.Equal((SviRecipe.Reference, (int?)50, 32, 4.5, 123456789012L), (spec.Recipe, spec.Steps, spec.Fps, spec.Cfg, spec.Seed));
        Assert.Equal((T2vQuality.Fast, true, 1), (spec.T2vQuality, spec.HasImage, spec.MotionLatents));
        Assert.Null(spec.LoraStrengths);
        Assert.Equal(("18", 4, 4, "completed"), (record.SecondsText, record.ClipsTotal, record.ClipsCompleted, record.Status));
    }

    [Fact]
    public void A_stored_spec_without_lora_strengths_reads_with_none_so_the_worker_renders_it_at_its_deployment_strengths()
    {
        var spec = TestSpecs.Tiny(18, 480, 832, image: true, T2vQuality.Quality) with { LoraStrengths = null };
        var json = SpecJson.Write(spec);
        Assert.False(json.ContainsKey("lora_strengths"));

        var read = SpecJson.Read(SpecJson.Version, json.ToJsonString());
        Assert.Null(read.LoraStrengths);
        var defaults = SviDefaults.From(new InferenceOptions { LoraLowStrength = 0.4 });
        Assert.Equal(new LoraStrengths([new(ModelRole.LoraHigh, 1.0), new(ModelRole.LoraLow, 0.4), new(ModelRole.DistillLoraHigh, 1.0),
            new(ModelRole.DistillLoraLow, 1.0)]), SviModelChoice.For(read with { Recipe = SviRecipe.Distilled }, defaults).Loras);
    }
}
