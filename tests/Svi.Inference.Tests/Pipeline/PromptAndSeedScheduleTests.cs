namespace Svi.Inference.Tests.Pipeline;

public class PromptAndSeedScheduleTests
{
    [Fact]
    public void Prompt_list_gives_one_prompt_per_clip_and_the_last_repeats()
    {
        var schedule = new PromptSchedule(["a cat walks", "the cat sits"]);
        Assert.Equal(["a cat walks", "the cat sits", "the cat sits", "the cat sits"],
            Enumerable.Range(0, 4).Select(schedule.ForClip));
    }

    [Fact]
    public void A_single_prompt_splits_only_at_dash_separator_lines()
    {
        var schedule = new PromptSchedule(["A fox runs - fast - through snow.\n---\nThe fox stops.\n  -----  \nThe fox sleeps."]);
        Assert.Equal(["A fox runs - fast - through snow.", "The fox stops.", "The fox sleeps."], schedule.Prompts);
    }

    [Fact]
    public void A_single_prompt_without_separators_drives_every_clip()
    {
        var schedule = new PromptSchedule(["one scene -- with dashes"]);
        Assert.Equal("one scene -- with dashes", schedule.ForClip(7));
    }

    [Fact]
    public void Empty_prompts_are_rejected()
    {
        Assert.Throws<GenerationSpecException>(() => new PromptSchedule(["ok", " "]));
        Assert.Throws<GenerationSpecException>(() => new PromptSchedule(["---"]));
    }

    [Fact]
    public void Seed_zero_reproduces_the_reference_clip_seeds_and_every_clip_differs()
    {
        Assert.Equal([0L, 42L, 84L], Enumerable.Range(0, 3).Select(k => ClipSeeds.ForClip(0, k)));
        var seeds = Enumerable.Range(0, 30).Select(k => ClipSeeds.ForClip(1234, k)).ToList();
        Assert.Equal(seeds.Count, seeds.Distinct().Count());
        Assert.DoesNotContain(ClipSeeds.ForAnchor(1234), seeds);
    }
}
