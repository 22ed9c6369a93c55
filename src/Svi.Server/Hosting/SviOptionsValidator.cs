using Microsoft.Extensions.Options;

namespace Svi.Server.Hosting;

public sealed class SviOptionsValidator(Contracts.DeploymentResolutions resolutions) : IValidateOptions<SviOptions>
{
    public ValidateOptionsResult Validate(string? name, SviOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.DataDirectory)) errors.Add("Svi:DataDirectory must name a folder.");
        if (string.IsNullOrWhiteSpace(o.ModelsDirectory)) errors.Add("Svi:ModelsDirectory must name a folder.");
        for (int i = 0; i < o.ApiKeys.Length; i++)
            if (string.IsNullOrWhiteSpace(o.ApiKeys[i]) || o.ApiKeys[i].Length < 8)
                errors.Add($"Svi:ApiKeys:{i} must be at least 8 characters long.");
        if (!Contracts.Resolutions.TryParse(o.DefaultResolution, out var defaultSize))
            errors.Add($"Svi:DefaultResolution '{o.DefaultResolution}' is not one of {string.Join(", ", resolutions.Supported)}.");
        else if (resolutions.WhyNot(defaultSize.Width, defaultSize.Height) is { } problem)
            errors.Add($"Svi:DefaultResolution {problem}.");
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
        errors.AddRange(Webhooks.WebhookOptionsValidator.Problems(o.Webhooks, [.. o.ApiKeys, .. o.AdminKeys]));
        if (o.Storage.MinFreeBytes < 0) errors.Add("Svi:Storage:MinFreeBytes must not be negative.");
        if (o.Storage.WaitSeconds <= 0) errors.Add("Svi:Storage:WaitSeconds must be greater than 0.");
        if (o.Storage.SampleSeconds <= 0) errors.Add("Svi:Storage:SampleSeconds must be greater than 0.");
        if (o.Jobs.ShutdownTimeoutSeconds < 0) errors.Add("Svi:Jobs:ShutdownTimeoutSeconds must not be negative.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
