using System.Globalization;
using Microsoft.Extensions.Options;
using Svi.Server.Contracts;
using Svi.Server.Hosting;
using Svi.Server.Usage;

namespace Svi.Server.Api;

/// <summary><c>GET /v1/usage</c>: metered usage of every key, for admin keys (<c>Svi:AdminKeys</c>) only; JSON or CSV.</summary>
public static class UsageEndpoints
{
    public static void MapUsage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/usage", GetAsync).WithTags("Usage").Produces<UsageReport>()
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").Produces<ErrorBody>(StatusCodes.Status403Forbidden);
    }

    private static async Task<IResult> GetAsync(HttpContext context, UsageStore store, IOptions<SviOptions> options,
        string? start, string? end, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "group_by")] string? groupBy, CancellationToken ct)
    {
        if (!ApiKeyAuthentication.IsAdmin(context))
            throw new ApiException(StatusCodes.Status403Forbidden,
                "Usage is visible to admin keys only (Svi:AdminKeys); this key is not one.", null, "admin_key_required");
        var to = Time("end", end) ?? DateTimeOffset.UtcNow;
        var from = Time("start", start) ?? to.AddDays(-30);
        if (from >= to) throw ApiException.Invalid("start", "'start' must be before 'end'.");
        var grouping = groupBy switch
        {
            null or "key" => UsageGrouping.Key,
            "day" => UsageGrouping.Day,
            "resolution" => UsageGrouping.Resolution,
            _ => throw ApiException.Invalid("group_by", $"'group_by' must be one of key, day, resolution; got '{groupBy}'."),
        };
        var report = UsageReport.Build(await store.SumAsync(grouping, from, to, ct), grouping, from, to,
            options.Value.Pricing, new KeyNames(options.Value.KeyLabels));
        return context.Request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase)
            ? Results.Text(report.ToCsv(), "text/csv; charset=utf-8")
            : TypedResults.Ok(report);
    }

    /// <summary>Unix seconds, a date (UTC midnight) or an ISO 8601 time.</summary>
    private static DateTimeOffset? Time(string param, string? text)
    {
        if (text is null) return null;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long unix)) return DateTimeOffset.FromUnixTimeSeconds(unix);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) return time;
        throw ApiException.Invalid(param, $"'{param}' must be Unix seconds, a date (2026-10-01) or an ISO 8601 time; got '{text}'.");
    }
}
