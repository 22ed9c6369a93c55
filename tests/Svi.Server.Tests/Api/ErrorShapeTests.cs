namespace Svi.Server.Tests.Api;

/// <summary>
/// Every failure is OpenAI's error body; a failure nobody foresaw is a 500 <c>server_error</c> that shows none of the
/// server's internals, and only client errors tell the OpenAI clients not to retry (<c>x-should-retry: false</c>).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ErrorShapeTests(ApiOnlyFixture fixture) : IClassFixture<ApiOnlyFixture>
{

    private async Task<(HttpStatusCode Status, JsonElement Body, string? ShouldRetry)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : Json(json) };
        using var response = await fixture.Client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        string? shouldRetry = response.Headers.TryGetValues("x-should-retry", out var values) ? string.Join(",", values) : null;
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), shouldRetry);
    }

    [Fact]
    public async Task An_unforeseen_failure_is_a_500_server_error_that_shows_no_internals_and_may_be_retried()
    {
        // A table the server relies on disappears: the query fails with an error no code path expects.
        await fixture.Database.ExecuteAsync("ALTER TABLE generations RENAME TO generations_moved_away");
        (HttpStatusCode Status, JsonElement Body, string? ShouldRetry) answer;
        try { answer = await SendAsync(HttpMethod.Get, "/v1/videos/generations/video_0123456789abcdef0123456789abcdef"); }
        finally { await fixture.Database.ExecuteAsync("ALTER TABLE generations_moved_away RENAME TO generations"); }

        var error = AssertError((answer.Status, answer.Body), HttpStatusCode.InternalServerError, null);
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal("server_error", error.GetProperty("code").GetString());
        Assert.Equal("The server failed to handle this request; see its log.", error.GetProperty("message").GetString());
        string body = answer.Body.ToString();
        foreach (var internals in new[] { "generations_moved_away", "42P01", "Npgsql", "Exception", " at Svi.", ".cs:line" })
            Assert.DoesNotContain(internals, body);
        // OpenAI's clients retry a 5xx unless told otherwise.
        Assert.True(answer.ShouldRetry is null or "true", $"x-should-retry: {answer.ShouldRetry}");

        // The server is whole again once the table is back.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/v1/videos/generations")).Status);
    }

    [Theory]
    [InlineData("GET", "/v1/videos/generations/video_0123456789abcdef0123456789abcdef", null, 404, "id", "not_found")]
    [InlineData("GET", "/v1/videos/video_0123456789abcdef0123456789abcdef/content", null, 404, "id", "not_found")]
    [InlineData("POST", "/v1/videos/generations", """{"prompt": "a cat", "cfg": 9}""", 400, "cfg", "invalid_value")]
    [InlineData("POST", "/v1/videos", """{"prompt": "a cat", "seconds": "200"}""", 400, "seconds", "invalid_value")]
    [InlineData("POST", "/v1/videos/generations", "[1]", 400, null, "invalid_json")]
    [InlineData("GET", "/v1/no/such/endpoint", null, 404, null, "unknown_endpoint")]
    public async Task Client_errors_carry_code_and_param_and_tell_clients_not_to_retry(
        string method, string path, string? json, int status, string? param, string code)
    {
        var answer = await SendAsync(new HttpMethod(method), path, json);
        var error = AssertError((answer.Status, answer.Body), (HttpStatusCode)status, param);
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("false", answer.ShouldRetry);
    }
}
