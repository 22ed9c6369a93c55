namespace Svi.Server.Tests.Support;

/// <summary>A test class whose every test gets a scratch directory, removed after it, and the real ffmpeg.</summary>
public abstract class FfmpegScratchTests : IDisposable
{
    protected string Scratch { get; } = Directory.CreateTempSubdirectory("svi-render-").FullName;
    protected FfmpegVideoMedia Media { get; } = new();

    public void Dispose()
    {
        Directory.Delete(Scratch, recursive: true);
        GC.SuppressFinalize(this);
    }
}
