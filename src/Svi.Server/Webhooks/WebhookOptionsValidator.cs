using Svi.Server.Contracts;

namespace Svi.Server.Webhooks;

/// <summary>Stops the process at start on a webhook endpoint it could never deliver to or sign for.</summary>
public static class WebhookOptionsValidator
{
    /// <param name="keys">the API and admin keys configured, which an endpoint's <c>Key</c> must be one of</param>
    public static IReadOnlyList<string> Problems(WebhookOptions w, IReadOnlyCollection<string> keys)
    {
        var errors = new List<string>();
        for (int i = 0; i < w.Endpoints.Count; i++)
        {
            var e = w.Endpoints[i];
            string at = $"Svi:Webhooks:Endpoints:{i}";
            if (WebhookUrlPolicy.Problem(e.Url, w.AllowPrivateAddresses) is { } problem) errors.Add($"{at}:Url {problem}.");
            if (!WebhookSecret.TryParse(e.Secret, out _))
                errors.Add($"{at}:Secret must be '{WebhookSecret.Prefix}' followed by the base64 of at least 16 random bytes.");
            if (e.Key.Length > 0 && !keys.Contains(e.Key))
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
        return errors;
    }
}
