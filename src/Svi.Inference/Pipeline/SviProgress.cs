namespace Svi.Inference.Pipeline;

/// <param name="Step">steps finished in <paramref name="Clip"/> (0 … Steps)</param>
public sealed record SviProgress(int Clip, int Clips, int Step, int Steps)
{
    public int StepsDone => Clip * Steps + Step;
    public int StepsTotal => Clips * Steps;
}
