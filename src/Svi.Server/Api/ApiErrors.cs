using Svi.Server.Contracts;

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
        // Client errors are final: tell the OpenAI clients not to retry them.
        if (e.Status < 500) context.Response.Headers["x-should-retry"] = "false";
        await context.Response.WriteAsJsonAsync(e.ToBody(), context.RequestAborted);
    }
}
