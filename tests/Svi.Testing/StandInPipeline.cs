using Svi.Inference.Rendering;

namespace Svi.Testing;

/// <summary>A clip loop on stand-in models, small enough for unit tests (2×2 latents, 16×16 pixels).</summary>
public sealed class StandInPipeline
{
    public const int LatentSize = 2;
    public StandInVae Vae { get; } = new(16, 8);
    public StandInVelocityModel High { get; } = new(36, 16, seed: 11);
    public StandInVelocityModel Low { get; } = new(36, 16, seed: 12);
    public StandInTextEncoder Text { get; } = new();

    public int PixelSize => LatentSize * Vae.SpatialStride;

    public SviPipeline Create(ISviObserver? observer = null, INoiseSource? noise = null) =>
        new(new ExpertPair(High, Low), Vae, noise ?? new SeededNoiseSource(), ScalarType.Float32, CPU)
        {
            Observer = observer,
        };

    public Tensor AnchorLatent(long seed = 3)
    {
        using var generator = new Generator((ulong)seed, CPU);
        using var scope = NewDisposeScope();
        var image = rand([1, 3, 1, PixelSize, PixelSize], generator: generator) * 2 - 1;
        return Vae.Encode(image).MoveToOuterDisposeScope();
    }

    public SviRun Run(ClipPlan plan, SviSampling sampling, long seed, Tensor anchorLatent, IReadOnlyList<string> prompts) =>
        new(plan, sampling, seed, anchorLatent, new EncodedClipContexts(Text, new PromptSchedule(prompts), "negative"));
}

/// <summary>Keeps every clip's frames as bytes.</summary>
public sealed class RecordingSink : IFrameSink
{
    public List<(int Clip, byte[] Frames, long Count)> Clips { get; } = [];
    public Action<int>? BeforeAccept { get; init; }

    public void Accept(int clip, RgbFrames frames)
    {
        BeforeAccept?.Invoke(clip);
        Clips.Add((clip, frames.Pixels, frames.Count));
    }

    public byte[] Video => Clips.OrderBy(c => c.Clip).SelectMany(c => c.Frames).ToArray();
}
