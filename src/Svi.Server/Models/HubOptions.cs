namespace Svi.Server.Models;

/// <summary>
/// Model hub access for <c>./svi models pull</c>, section <c>Svi:ModelHub</c>. Files are fetched from
/// {BaseUrl}/{repo}/resolve/{revision}/{path}, the Hugging Face layout.
/// </summary>
public sealed class HubOptions
{
    public const string Section = "Svi:ModelHub";
    public const string TokenEnvironmentVariable = "HF_TOKEN";

    public string BaseUrl { get; set; } = "https://huggingface.co";
    /// <summary>Bearer token for gated or private repositories; defaults to the HF_TOKEN environment variable.</summary>
    public string? Token { get; set; }
    /// <summary>Files downloaded at the same time.</summary>
    public int Parallelism { get; set; } = 4;
    /// <summary>A connection that delivers no byte for this long is dropped and resumed.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Attempts per file (the first try plus resumes after a cut or stall).</summary>
    public int MaxAttempts { get; set; } = 8;
    /// <summary>Pause before resume n is n × this (linear backoff).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public Uri FileUri(ModelSource source) =>
        new($"{BaseUrl.TrimEnd('/')}/{source.Repo}/resolve/{Uri.EscapeDataString(source.RevisionOrDefault)}/" +
            string.Join('/', source.Path.Split('/').Select(Uri.EscapeDataString)));

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            errors.Add($"{Section}:BaseUrl must be an absolute http(s) URL (got '{BaseUrl}').");
        if (Parallelism is < 1 or > 64) errors.Add($"{Section}:Parallelism must be between 1 and 64 (got {Parallelism}).");
        if (IdleTimeout <= TimeSpan.Zero) errors.Add($"{Section}:IdleTimeout must be positive.");
        if (ConnectTimeout <= TimeSpan.Zero) errors.Add($"{Section}:ConnectTimeout must be positive.");
        if (MaxAttempts is < 1 or > 100) errors.Add($"{Section}:MaxAttempts must be between 1 and 100 (got {MaxAttempts}).");
        if (RetryDelay < TimeSpan.Zero) errors.Add($"{Section}:RetryDelay must not be negative.");
        return errors;
    }
}
