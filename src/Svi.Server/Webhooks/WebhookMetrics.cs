using Prometheus;

namespace Svi.Server.Webhooks;

/// <summary>
/// <c>svi_webhook_deliveries_total{outcome}</c>, one count per attempt: <c>delivered</c> (2xx), <c>retry</c> (failed, another
/// attempt is scheduled), <c>failed</c> (failed and past the retry horizon), <c>refused</c> (a private address, not allowed).
/// </summary>
public static class WebhookMetrics
{
    private static readonly Counter Attempts = Metrics.CreateCounter(
        "svi_webhook_deliveries_total", "Webhook delivery attempts, by outcome.", "outcome");

    public static void Attempted(string outcome) => Attempts.WithLabels(outcome).Inc();
}
