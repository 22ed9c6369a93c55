namespace Svi.Server.Tests.Support;

public static class RenderJobs
{
    /// <summary>A job for <paramref name="spec"/> whose input image lies at <paramref name="image"/> (null: text-to-video).</summary>
    public static RenderJob For(string id, GenerationSpec spec, string workDirectory, string? image, string? continueFrom = null) =>
        new(id, spec with { HasImage = image is not null }, workDirectory, continueFrom) { InputImage = image };
}
