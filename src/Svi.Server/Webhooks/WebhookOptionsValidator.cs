using Microsoft.Extensions.Options;
using Svi.Server.Hosting;

namespace Svi.Server.Webhooks;

/// <summary>Stops the process at start on a webhook endpoint it could never deliver to or sign for.</summary>
public sealed class WebhookOptionsValidator : IValidateOptions<SviOptions>
{
    public ValidateOptionsResult Validate(string? name, SviOptions o)
    {
        var errors = new List<string>();
        var w = o.Webhooks;
        for (int i = 0; i < w.Endpoints.Count; i++)
        {
            var e = w.Endpoints[i];
            string at = $"Svi:Webhooks:Endpoints:{i}";
            if (WebhookUrlPolicy.Problem(e.Url, w.AllowPrivateAddresses) is { } problem) errors.Add($"{at}:Url {problem}.");
            if (!WebhookSecret.TryParse(e.Secret, out _))
                errors.Add($"{at}:Secret must be '{WebhookSecret.Prefix}' followed by the base64 of at least 16 random bytes.");
            if (e.Key.Length > 0 && !o.ApiKeys.Contains(e.Key) && !o.AdminKeys.Contains(e.Key))
                errors.Add($"{at}:Key is not one of Svi:ApiKeys or Svi:AdminKeys.");
            foreach (var type in e.Events.Where(t => !WebhookEvent.Types.Contains(t)))
                errors.Add($"{at}:Events has '{type}'; the events are {string.Join(", ", WebhookEvent.Types)}.");
        }
        if (!string.IsNullOrEmpty(w.Secret) && !WebhookSecret.TryParse(w.Secret, out _))
            errors.Add($"Svi:Webhooks:Secret must be '{WebhookSecret.Prefix}' followed by the base64 of at least 16 random bytes.");
        if (w.TimeoutSeconds <= 0) errors.Add("Svi:Webhooks:TimeoutSeconds must be greater than 0.");
        if (w.FirstRetrySeconds <= 0) errors.Add("Svi:Webhooks:FirstRetrySeconds must be greater than 0.");
        if (w.MaxRetryDelaySeconds < w.FirstRetrySeconds) errors.Add("Svi:Webhooks:MaxRetryDelaySeconds must be at least FirstRetrySeconds.");
        if (w.RetryHorizonHours < 0) errors.Add("Svi:Webhooks:RetryHorizonHours must not be negative.");
        if (w.SchedulePollSeconds <= 0) errors.Add("Svi:Webhooks:SchedulePollSeconds must be greater than 0.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
