using Prometheus;

namespace Svi.Server.Observability;

/// <summary><c>svi_api_errors_total{code,status}</c>: every error body the API answered with, by its error code.</summary>
public static class ApiErrorMetrics
{
    private static readonly Counter Errors = Metrics.CreateCounter(
        "svi_api_errors_total", "API requests answered with an error body, by error code and HTTP status.", "code", "status");

    public static void Answered(string? code, int status) =>
        Errors.WithLabels(code ?? "none", status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
}
