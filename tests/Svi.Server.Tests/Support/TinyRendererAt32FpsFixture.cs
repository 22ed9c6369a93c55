namespace Svi.Server.Tests.Support;

/// <summary>A <see cref="TinyRendererFixture"/> deployed at 32 fps (<c>Svi:Output:Fps=32</c>), the OpenAI surface's rate then.</summary>
public sealed class TinyRendererAt32FpsFixture : TinyRendererFixture
{
    protected override IEnumerable<string> Configuration => ["--Svi:Output:Fps=32"];
}
