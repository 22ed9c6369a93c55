namespace Svi.Inference.Rendering;

/// <param name="Fraction">finished denoising steps / total steps, 0..1</param>
public sealed record RenderProgress(double Fraction, int Clip, int ClipsTotal);
