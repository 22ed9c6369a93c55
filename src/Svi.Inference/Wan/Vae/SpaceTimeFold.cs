namespace Svi.Inference.Wan.Vae;

/// <summary>
/// The (time × space × space) neighbourhood that Wan 2.2's parameter-free shortcuts move between positions and
/// channels: <see cref="AvgDown3d"/> folds it into channels, <see cref="DupUp3d"/> unfolds channels back into it.
/// Folded channels run neighbourhood-fastest: channel c·volume + (i·space + j)·space + k.
/// </summary>
public readonly record struct SpaceTimeFold(long Time, long Space)
{
    public long Volume => Time * Space * Space;

    /// <summary>
    /// How many folded channels each of <paramref name="foldedChannels"/> stands for, when
    /// <paramref name="unfoldedChannels"/> are folded; throws when they do not divide evenly.
    /// </summary>
    public long Share(long unfoldedChannels, long foldedChannels) =>
        unfoldedChannels * Volume % foldedChannels == 0
            ? unfoldedChannels * Volume / foldedChannels
            : throw new ArgumentException($"{unfoldedChannels}·{Volume} channels do not group evenly into {foldedChannels}");

    // x: [B, C, T·ft, H·fs, W·fs] → [B, C·ft·fs·fs, T, H, W]
    public Tensor Fold(Tensor x)
    {
        long b = x.shape[0], c = x.shape[1], t = x.shape[2] / Time, h = x.shape[3] / Space, w = x.shape[4] / Space;
        return x.reshape(b, c, t, Time, h, Space, w, Space)
            .permute(0, 1, 3, 5, 7, 2, 4, 6)
            .reshape(b, c * Volume, t, h, w);
    }

    // x: [B, C·ft·fs·fs, T, H, W] → [B, C, T·ft, H·fs, W·fs]
    public Tensor Unfold(Tensor x)
    {
        long b = x.shape[0], c = x.shape[1] / Volume, t = x.shape[2], h = x.shape[3], w = x.shape[4];
        return x.reshape(b, c, Time, Space, Space, t, h, w)
            .permute(0, 1, 5, 2, 6, 3, 7, 4)
            .reshape(b, c, t * Time, h * Space, w * Space);
    }
}
