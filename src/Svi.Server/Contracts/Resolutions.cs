namespace Svi.Server.Contracts;

/// <summary>
/// The output sizes SVI 2.0 Pro is run at (Wan 2.2 480p and 720p buckets, landscape and portrait). A deployment renders
/// those of them its architecture can (<see cref="DeploymentResolutions"/>).
/// </summary>
public static class Resolutions
{
    public static readonly IReadOnlyList<string> Buckets = ["832x480", "480x832", "720x1280", "1280x720"];

    public static bool TryParse(string? text, out (int Width, int Height) size)
    {
        size = default;
        if (text is null || !Buckets.Contains(text.Trim().ToLowerInvariant())) return false;
        var parts = text.Trim().ToLowerInvariant().Split('x');
        size = (int.Parse(parts[0]), int.Parse(parts[1]));
        return true;
    }

    public static string Format(int width, int height) => $"{width}x{height}";
}
