using Microsoft.Extensions.Options;

namespace Svi.Server.Hosting;

/// <summary>The <c>Svi</c> configuration section. Bound and validated at start so a bad value stops the process with a message.</summary>
public sealed class SviOptions
{
    public const string Section = "Svi";
    public const string DefaultUrls = "http://0.0.0.0:8000";

    /// <summary>Where generations keep their files (input image, MP4, thumbnail). Default: <c>./.data</c>.</summary>
    public string DataDirectory { get; set; } = ".data";
    /// <summary>Where the model weights are installed. Default: <c>./models</c>.</summary>
    public string ModelsDirectory { get; set; } = "models";
    /// <summary>Bearer keys that may call the API. Empty: the API is open (a warning is logged at start).</summary>
    public string[] ApiKeys { get; set; } = [];
    /// <summary>Listen addresses when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> is given.</summary>
    public string Urls { get; set; } = DefaultUrls;
    /// <summary>
    /// Other names clients may send as <c>model</c> → the served model, so OpenAI clients work unchanged. Default:
    /// <c>sora-2</c> and <c>sora-2-pro</c>; configuration adds more, and an alias set to an empty value is removed
    /// (<c>--Svi:ModelAliases:sora-2=</c>).
    /// </summary>
    public Dictionary<string, string> ModelAliases { get; set; } = new(StringComparer.Ordinal)
    {
        ["sora-2"] = Contracts.ModelCatalog.SviProId,
        ["sora-2-pro"] = Contracts.ModelCatalog.SviProId,
    };

    /// <summary>Drops the aliases configuration switched off with an empty value.</summary>
    public void RemoveDisabledAliases()
    {
        foreach (var alias in ModelAliases.Where(a => string.IsNullOrWhiteSpace(a.Value)).Select(a => a.Key).ToList())
            ModelAliases.Remove(alias);
    }
    /// <summary>Resolution used when a request names none.</summary>
    public string DefaultResolution { get; set; } = "832x480";
    /// <summary>How long a finished generation's files are kept before the retention sweep deletes them.</summary>
    public double RetentionHours { get; set; } = 168;
    /// <summary>How often the retention sweep runs.</summary>
    public double RetentionSweepMinutes { get; set; } = 10;
    /// <summary>Largest accepted input image, in bytes, however it arrives (file part, base64, URL).</summary>
    public long MaxImageBytes { get; set; } = 20 * 1024 * 1024;
    /// <summary>Largest accepted input image, in pixels (width × height), to refuse decompression bombs.</summary>
    public long MaxImagePixels { get; set; } = 50_000_000;
    /// <summary>Largest accepted uploaded video (extending an uploaded video), in bytes.</summary>
    public long MaxVideoBytes { get; set; } = 256 * 1024 * 1024;
    /// <summary>Largest accepted uploaded video frame, in pixels; checked by probing, before anything is decoded.</summary>
    public long MaxVideoPixels { get; set; } = 3840 * 2160;
    /// <summary>Largest JSON request body, in bytes: enough for a base64 image at <see cref="MaxImageBytes"/>.</summary>
    public long MaxJsonBodyBytes { get; set; } = 32 * 1024 * 1024;
    /// <summary>How many images above <see cref="ImageDecodeOptions.LargePixels"/> are decoded at once.</summary>
    public ImageDecodeOptions ImageDecodes { get; set; } = new();
    public ImageUrlOptions ImageUrls { get; set; } = new();
    public JobOptions Jobs { get; set; } = new();
    public DatabaseOptions Database { get; set; } = new();
    public OutputOptions Output { get; set; } = new();
}

public sealed class ImageDecodeOptions
{
    /// <summary>Images with more pixels than this count as large and wait for one of <see cref="MaxConcurrent"/> slots.</summary>
    public long LargePixels { get; set; } = 4_000_000;
    public int MaxConcurrent { get; set; } = 2;
    /// <summary>How long a request waits for a decode slot before it is answered 503.</summary>
    public double WaitSeconds { get; set; } = 30;
}

public sealed class OutputOptions
{
    /// <summary>The frame rate a request without <c>fps</c> gets (and every OpenAI-surface request): 16, or 32 (RIFE).</summary>
    public int Fps { get; set; } = Contracts.OutputFps.Native;
}

/// <summary>
/// The connection budget of one process: the app and Hangfire draw from the same pool, so the process never holds
/// more than <see cref="MaxConnections"/> connections (plus one LISTEN connection per worker process).
/// </summary>
public sealed class DatabaseOptions
{
    public int MaxConnections { get; set; } = 20;
    /// <summary>How long a request waits for a free connection before it is answered 503 with Retry-After.</summary>
    public int AcquireTimeoutSeconds { get; set; } = 5;
}

public sealed class ImageUrlOptions
{
    /// <summary>Allow image URLs that resolve to loopback, private, link-local or otherwise internal addresses.</summary>
    public bool AllowPrivateNetworks { get; set; }
    public double TimeoutSeconds { get; set; } = 20;
}

public sealed class JobOptions
{
    /// <summary>
    /// How long a job fetched by a worker stays invisible to other workers without a heartbeat. With the sliding
    /// timeout a live worker keeps extending it, so this only bounds how soon a killed worker's job is retried.
    /// </summary>
    public double InvisibilityTimeoutSeconds { get; set; } = 300;
    /// <summary>How often a running job checks for cancellation and persists its progress.</summary>
    public double ProgressIntervalSeconds { get; set; } = 1;
    /// <summary>How long a stopping worker waits for its job to reach a cancellation point.</summary>
    public double ShutdownTimeoutSeconds { get; set; } = 15;
    /// <summary>
    /// How often each process looks for queued or running generations whose Hangfire job is gone, and for Hangfire
    /// locks whose holder's connection is closed (a killed process), and repairs both. It also runs at start.
    /// </summary>
    public double RecoverySweepSeconds { get; set; } = 5;
}

public sealed class SviOptionsValidator : IValidateOptions<SviOptions>
{
    public ValidateOptionsResult Validate(string? name, SviOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.DataDirectory)) errors.Add("Svi:DataDirectory must name a folder.");
        if (string.IsNullOrWhiteSpace(o.ModelsDirectory)) errors.Add("Svi:ModelsDirectory must name a folder.");
        for (int i = 0; i < o.ApiKeys.Length; i++)
            if (string.IsNullOrWhiteSpace(o.ApiKeys[i]) || o.ApiKeys[i].Length < 8)
                errors.Add($"Svi:ApiKeys:{i} must be at least 8 characters long.");
        if (!Contracts.Resolutions.TryParse(o.DefaultResolution, out _))
            errors.Add($"Svi:DefaultResolution '{o.DefaultResolution}' is not one of {string.Join(", ", Contracts.Resolutions.Supported)}.");
        foreach (var (alias, target) in o.ModelAliases)
            if (target != Contracts.ModelCatalog.SviProId)
                errors.Add($"Svi:ModelAliases:{alias} points at '{target}'; the only served model is '{Contracts.ModelCatalog.SviProId}'.");
        if (o.RetentionHours <= 0) errors.Add("Svi:RetentionHours must be greater than 0.");
        if (o.RetentionSweepMinutes <= 0) errors.Add("Svi:RetentionSweepMinutes must be greater than 0.");
        if (o.MaxImageBytes < 1024) errors.Add("Svi:MaxImageBytes must be at least 1024.");
        if (o.MaxImagePixels < 64 * 64) errors.Add("Svi:MaxImagePixels must be at least 4096.");
        if (o.MaxVideoPixels < 64 * 64) errors.Add("Svi:MaxVideoPixels must be at least 4096.");
        if (o.MaxJsonBodyBytes < 64 * 1024) errors.Add("Svi:MaxJsonBodyBytes must be at least 65536.");
        if (o.ImageDecodes.MaxConcurrent < 1) errors.Add("Svi:ImageDecodes:MaxConcurrent must be at least 1.");
        if (o.ImageDecodes.LargePixels < 1) errors.Add("Svi:ImageDecodes:LargePixels must be at least 1.");
        if (o.ImageDecodes.WaitSeconds <= 0) errors.Add("Svi:ImageDecodes:WaitSeconds must be greater than 0.");
        if (o.Database.MaxConnections < 4) errors.Add("Svi:Database:MaxConnections must be at least 4 (Hangfire needs a few of its own).");
        if (o.Database.AcquireTimeoutSeconds < 1) errors.Add("Svi:Database:AcquireTimeoutSeconds must be at least 1.");
        if (o.Jobs.RecoverySweepSeconds <= 0) errors.Add("Svi:Jobs:RecoverySweepSeconds must be greater than 0.");
        if (o.ImageUrls.TimeoutSeconds <= 0) errors.Add("Svi:ImageUrls:TimeoutSeconds must be greater than 0.");
        if (o.Jobs.InvisibilityTimeoutSeconds < 5) errors.Add("Svi:Jobs:InvisibilityTimeoutSeconds must be at least 5.");
        if (o.Jobs.ProgressIntervalSeconds <= 0) errors.Add("Svi:Jobs:ProgressIntervalSeconds must be greater than 0.");
        if (!Contracts.OutputFps.Supported.Contains(o.Output.Fps))
            errors.Add($"Svi:Output:Fps must be one of {string.Join(", ", Contracts.OutputFps.Supported)}; got {o.Output.Fps}.");
        if (o.Jobs.ShutdownTimeoutSeconds < 0) errors.Add("Svi:Jobs:ShutdownTimeoutSeconds must not be negative.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
