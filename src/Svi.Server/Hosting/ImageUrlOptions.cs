namespace Svi.Server.Hosting;

public sealed class ImageUrlOptions
{
    /// <summary>Allow image URLs that resolve to loopback, private, link-local or otherwise internal addresses.</summary>
    public bool AllowPrivateNetworks { get; set; }
    public double TimeoutSeconds { get; set; } = 20;
}
