namespace Svi.Server.Contracts;

/// <summary>
/// A failure the caller can act on, answered with OpenAI's error body
/// <c>{"error": {"message", "type", "param", "code"}}</c>. Thrown anywhere below the endpoints, mapped once.
/// </summary>
public sealed class ApiException(int status, string message, string? param = null, string? code = null,
    string type = "invalid_request_error") : Exception(message)
{
    public int Status { get; } = status;
    public string? Param { get; } = param;
    public string? Code { get; } = code;
    public string Type { get; } = type;
    /// <summary>Sent as <c>Retry-After</c> with a 503 (the request was fine, the server is busy) or a 429 (a key's quota).</summary>
    public int? RetryAfterSeconds { get; init; }

    public static ApiException Invalid(string param, string message, string code = "invalid_value") =>
        new(StatusCodes.Status400BadRequest, message, param, code);

    public static ApiException Missing(string param, string what) =>
        new(StatusCodes.Status400BadRequest, $"'{param}' is required: {what}.", param, "missing_required_parameter");

    public static ApiException NotFound(string id) =>
        new(StatusCodes.Status404NotFound, $"No video with id '{id}' exists for this API key.", "id", "not_found");

    /// <summary>A 503 that OpenAI clients retry: the request was fine, a resource (connections, decoders) is busy.</summary>
    public static ApiException Unavailable(string message, string code, int retryAfterSeconds = 2) =>
        new(StatusCodes.Status503ServiceUnavailable, message, null, code, "server_error") { RetryAfterSeconds = retryAfterSeconds };

    public ErrorBody ToBody() => new(new ErrorDetail(Message, Type, Param, Code));
}
