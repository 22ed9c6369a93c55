namespace Svi.Inference.Wan.Vae;

/// <summary>One spatial tile: its latent window and its blend weights over the pixels it decodes to.</summary>
public sealed record DecodeTile(long Top, long Left, long Height, long Width, float[] RowWeights, float[] ColumnWeights);
