using Svi.Inference.Pipeline;
using Svi.Inference.Runtime;

namespace Svi.Server.Contracts;

/// <summary>
/// The sizes this deployment renders: the <see cref="Resolutions.Buckets"/> whose width and height its architecture
/// divides into whole DiT patches (<see cref="SviArchitecture.CanRender"/>). The published A14B (8× VAE, 2×2 patches:
/// multiples of 16) renders all four; the tiny random-weight architecture (4×4 patches: multiples of 32) only the 480p
/// pair, since a 720p latent grid is 90 cells high.
/// </summary>
public sealed class DeploymentResolutions
{
    readonly SviArchitecture architecture;
    readonly string label;

    /// <param name="label">How messages name the architecture: "tiny random-weight architecture".</param>
    public DeploymentResolutions(SviArchitecture architecture, string label)
    {
        this.architecture = architecture;
        this.label = label;
        Supported = [.. Resolutions.Buckets.Where(b => Resolutions.TryParse(b, out var size) && architecture.CanRender(size.Width, size.Height))];
    }

    public static DeploymentResolutions For(SviArchitecture architecture, InferenceOptions options) =>
        new(architecture, $"{ModelArchitectures.NameFor(options)}{(options.UsesRandomWeights ? " random-weight" : "")} architecture");

    public IReadOnlyList<string> Supported { get; }

    /// <summary>Why this deployment cannot render <paramref name="width"/>×<paramref name="height"/>; null when it can.</summary>
    public string? WhyNot(int width, int height) =>
        Unrenderable(width, height) is { } problem ? $"{problem}; use {string.Join(" or ", Supported)}" : null;

    /// <summary>
    /// A remix or extension keeps its source's size, which this deployment may not render (the video was made before
    /// the deployment changed architecture): a 400 on <paramref name="param"/> naming that size and the sizes it renders.
    /// </summary>
    public void RequireRenderableSource(string sourceId, int width, int height, string param, string action)
    {
        if (Unrenderable(width, height) is { } problem)
            throw ApiException.Invalid(param, $"The video '{sourceId}' cannot be {action}: {problem}; this deployment renders only " +
                                              $"{string.Join(" or ", Supported)}.", "video_size_not_renderable");
    }

    string? Unrenderable(int width, int height)
    {
        if (architecture.CanRender(width, height)) return null;
        var patch = architecture.I2v.PatchSize;
        string multiples = architecture.WidthMultiple == architecture.HeightMultiple
            ? $"width and height multiples of {architecture.WidthMultiple}"
            : $"a width that is a multiple of {architecture.WidthMultiple} and a height that is a multiple of {architecture.HeightMultiple}";
        return $"{Resolutions.Format(width, height)} cannot be rendered by this deployment's {label} " +
               $"(its {patch[1]}×{patch[2]} patches need {multiples})";
    }

    /// <summary>A request's size field: one of <see cref="Supported"/>, else a 400 naming the field and the sizes.</summary>
    public (int Width, int Height) Parse(string param, string text)
    {
        if (!Resolutions.TryParse(text, out var size))
            throw ApiException.Invalid(param, $"'{param}' must be one of {string.Join(", ", Supported)}; got '{text}'.");
        if (WhyNot(size.Width, size.Height) is { } problem)
            throw ApiException.Invalid(param, $"'{param}' {problem}.");
        return size;
    }
}
