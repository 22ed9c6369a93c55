using Svi.Inference.Text;

namespace Svi.Inference.Tests.Pipeline;

/// <summary>The negative prompt reaches the text encoder only when a step runs the negative pass (cfg ≠ 1).</summary>
public sealed class NegativePromptEncodingTests
{
    sealed class RecordingEncoder(ITextEncoder inner) : ITextEncoder
    {
        public List<string> Prompts { get; } = [];

        public Tensor Encode(string prompt)
        {
            Prompts.Add(prompt);
            return inner.Encode(prompt);
        }
    }

    static List<string> EncodedAt(double cfg)
    {
        var models = new StandInPipeline();
        var encoder = new RecordingEncoder(models.Text);
        using var anchor = models.AnchorLatent();
        using var contexts = new EncodedClipContexts(encoder, new PromptSchedule(["a heron lands"]), SviDefaults.NegativePrompt);
        var run = new SviRun(ClipPlanner.ForClips(1, 1), new SviSampling(2, 5, 0.875, cfg), 5, anchor, contexts);
        models.Create().Run(run, new RecordingSink(), null, "run", null, CancellationToken.None);
        return encoder.Prompts;
    }

    [Fact]
    public void At_cfg_1_only_the_prompt_is_encoded_and_above_1_the_negative_prompt_too()
    {
        Assert.Equal(["a heron lands"], EncodedAt(1.0));
        Assert.Equal(["a heron lands", SviDefaults.NegativePrompt], EncodedAt(1.5).Distinct().Order(StringComparer.Ordinal));
    }
}
