namespace Svi.Inference.Pipeline;

/// <summary>What a render is doing now, clip by clip; the API names it <c>stage</c>.</summary>
public enum RenderStage
{
    /// <summary>Sampling a clip (or the text-to-video anchor frame) step by step.</summary>
    Denoising,
    /// <summary>The VAE turns a clip's latent into frames.</summary>
    Decoding,
    /// <summary>RIFE inserts the middle frames of a 32 fps video.</summary>
    Interpolating,
    /// <summary>FFmpeg encodes a clip's frames, or joins the clips into the final MP4.</summary>
    Encoding,
}

public static class RenderStages
{
    public static string Name(this RenderStage stage) => stage.ToString().ToLowerInvariant();

    public static RenderStage Parse(string name) => Enum.Parse<RenderStage>(name, ignoreCase: true);
}
