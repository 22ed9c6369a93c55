using Npgsql;
using Svi.Server.Contracts;
using Svi.Server.Storage;

namespace Svi.Server.Api;

/// <summary>Maps every failure under the API to OpenAI's error body, once, with the right status.</summary>
public sealed class ApiErrors(RequestDelegate next, ILogger<ApiErrors> log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (ApiException e) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, e);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            var error = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? new ApiException(e.StatusCode, $"The request body is larger than this server accepts: {e.Message}", null, "request_too_large")
                : new ApiException(e.StatusCode, $"The request could not be read: {e.Message}", null, "bad_request");
            await WriteAsync(context, error);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested && StorageFull.Caused(e))
        {
            // Before database_busy: Npgsql calls PostgreSQL's disk_full transient, but only freed space cures it.
            log.LogWarning(e, "Storage full for {Method} {Path}; answered 507", context.Request.Method, context.Request.Path);
            await WriteAsync(context, StorageFullErrors.WriteFailed());
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested && DatabaseBusy(e))
        {
            // Pool exhausted, too many clients, connection lost: nothing was stored (creates are one transaction), so
            // the client may simply send the request again.
            log.LogWarning(e, "Database unavailable for {Method} {Path}; answered 503", context.Request.Method, context.Request.Path);
            await WriteAsync(context, ApiException.Unavailable(
                "The server could not get a database connection in time; nothing was stored. Retry the request shortly.", "database_busy"));
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            log.LogError(e, "Unhandled error for {Method} {Path}", context.Request.Method, context.Request.Path);
            await WriteAsync(context, new ApiException(StatusCodes.Status500InternalServerError,
                "The server failed to handle this request; see its log.", null, "server_error", "server_error"));
        }
    }

    public static async Task WriteAsync(HttpContext context, ApiException e)
    {
        context.Response.Clear();
        context.Response.StatusCode = e.Status;
        Observability.ApiErrorMetrics.Answered(e.Code, e.Status);
        // Client errors are final, and so is a full disk until someone frees space; a 429 is the client's to retry after Retry-After.
        if ((e.Status < 500 && e.Status != StatusCodes.Status429TooManyRequests) || e.Status == StatusCodes.Status507InsufficientStorage)
            context.Response.Headers["x-should-retry"] = "false";
        if (e.RetryAfterSeconds is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.Response.WriteAsJsonAsync(e.ToBody(), context.RequestAborted);
    }

    // Npgsql marks as transient what a retry can fix: a full pool, a refused or lost connection, a server that is
    // starting or shutting down. Hangfire and System.Transactions wrap it.
    private static bool DatabaseBusy(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is NpgsqlException { IsTransient: true }) return true;
        return false;
    }
}
