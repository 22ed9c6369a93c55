namespace Svi.Server.Tests.Support;

public static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path,
        HttpContent? content = null, string? apiKey = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (apiKey is not null) request.Headers.Authorization = new("Bearer", apiKey);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static Task<(HttpStatusCode Status, JsonElement Body)> PostJsonAsync(HttpClient client, string path, string json, string? apiKey = null) =>
        SendAsync(client, HttpMethod.Post, path, Json(json), apiKey);

    public static Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path, string? apiKey = null) =>
        SendAsync(client, HttpMethod.Get, path, null, apiKey);

    /// <summary>
    /// Asserts OpenAI's error shape (a message, a type, a non-null code, and <paramref name="param"/> exactly, null included)
    /// and returns its <c>error</c> object.
    /// </summary>
    public static JsonElement AssertError((HttpStatusCode Status, JsonElement Body) response, HttpStatusCode status, string? param, params string[] messageParts)
    {
        Assert.True(response.Status == status, $"expected {(int)status}, got {(int)response.Status}: {response.Body}");
        var error = response.Body.GetProperty("error");
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.True(error.GetProperty("code").ValueKind == JsonValueKind.String, $"the error has no code: {response.Body}");
        Assert.True(error.TryGetProperty("param", out var actual), $"the error has no param field: {response.Body}");
        Assert.Equal(param, actual.GetString());
        var message = error.GetProperty("message").GetString()!;
        foreach (var part in messageParts) Assert.Contains(part, message);
        return error;
    }
}
