namespace Svi.Inference.Pipeline;

/// <summary>
/// Where the clip loop is: <paramref name="Stage"/> of clip <paramref name="Clip"/>, or, with
/// <paramref name="Clip"/> = <paramref name="Clips"/>, every clip finished.
/// </summary>
/// <param name="Step">steps finished in <paramref name="Clip"/> (0 … Steps)</param>
public sealed record SviProgress(int Clip, int Clips, int Step, int Steps, RenderStage Stage = RenderStage.Denoising)
{
    public int StepsDone => Clip * Steps + Step;
    public int StepsTotal => Clips * Steps;
}
