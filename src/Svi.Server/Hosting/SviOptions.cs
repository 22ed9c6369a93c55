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
    /// <summary>Keys that may also read every key's usage (<c>GET /v1/usage</c>); they can call the rest of the API too.</summary>
    public string[] AdminKeys { get; set; } = [];
    /// <summary>Names shown for keys in usage reports (<c>Svi:KeyLabels:team-a=&lt;key&gt;</c>); other keys show a hash prefix.</summary>
    public Dictionary<string, string> KeyLabels { get; set; } = new(StringComparer.Ordinal);
    public Webhooks.WebhookOptions Webhooks { get; set; } = new();
    public Quotas.QuotaOptions Quotas { get; set; } = new();
    public Usage.PriceSheet Pricing { get; set; } = new();
    public StorageOptions Storage { get; set; } = new();
}
