namespace Svi.Server.Hosting;

public sealed class OutputOptions
{
    /// <summary>The frame rate a request without <c>fps</c> gets (and every OpenAI-surface request): 16, or 32 (RIFE).</summary>
    public int Fps { get; set; } = Contracts.OutputFps.Native;
}
