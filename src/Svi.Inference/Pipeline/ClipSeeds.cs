namespace Svi.Inference.Pipeline;

/// <summary>
/// Per-clip seeds. The reference draws clip k's noise from seed k·42 and insists every clip gets its own seed;
/// we offset that sequence by the request seed, so request seed 0 reproduces the reference (0, 42, 84, …).
/// </summary>
public static class ClipSeeds
{
    public const long Multiplier = 42;

    public static long ForClip(long requestSeed, int clip) => unchecked(requestSeed + Multiplier * clip);

    /// <summary>The seed of the text-to-video anchor frame, apart from every clip's.</summary>
    public static long ForAnchor(long requestSeed) => unchecked(requestSeed - 1);
}
