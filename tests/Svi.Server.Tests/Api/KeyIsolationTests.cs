using Microsoft.AspNetCore.Routing;
using Svi.Server.Api;

namespace Svi.Server.Tests.Api;

/// <summary>A server with a worker (the test renderer) behind two API keys.</summary>
public sealed class TwoKeysWithWorkerFixture : ServerFixture
{
    public const string Owner = "sk-isolation-owner-1", Stranger = "sk-isolation-other-2";
    protected override string[] ExtraConfig => [$"--Svi:ApiKeys:0={Owner}", $"--Svi:ApiKeys:1={Stranger}"];
}

/// <summary>
/// Every route that takes a video id answers another key's id with 404, whatever the method, variant or body, and
/// changes nothing. The routes come from the server's own route table, so a new <c>{id}</c> route is covered the day it
/// is added.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class KeyIsolationTests(TwoKeysWithWorkerFixture fixture) : IClassFixture<TwoKeysWithWorkerFixture>
{
    private const string Owner = TwoKeysWithWorkerFixture.Owner, Stranger = TwoKeysWithWorkerFixture.Stranger;

    // Routes whose {id} is not a video's.
    private static readonly string[] NotVideoIds = ["/v1/models/{id}", "/v1/videos/characters/{id}"];

    /// <summary>Each (method, route) of the server that takes an {id}, from its endpoint table.</summary>
    private List<(string Method, string Route)> IdRoutes() =>
    [
        .. ((IEndpointRouteBuilder)fixture.Server.App).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.GetParameter("id") is not null && !NotVideoIds.Contains(e.RoutePattern.RawText))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, e.RoutePattern.RawText!)))
            .OrderBy(r => r.Item2).ThenBy(r => r.m),
    ];

    // A body that would be valid from the owner, so that only the key can be the reason for a refusal.
    private static string BodyFor(string route) => route switch
    {
        _ when route.EndsWith("/extend") => """{"prompt": "it goes on", "duration": 4.75}""",
        _ when route.EndsWith("/cancel") => "{}",
        _ => """{"prompt": "a stranger's change"}""",
    };

    [Fact]
    public async Task Another_keys_video_is_404_on_every_id_route_and_variant_and_nothing_changes()
    {
        var (status, created) = await PostJsonAsync(fixture.Client, "/v1/videos/generations", """{"prompt": "the owner's lake", "duration": 5}""", Owner);
        Assert.Equal(HttpStatusCode.Accepted, status);
        string id = created.GetProperty("id").GetString()!;
        var before = await fixture.Server.WaitForAsync(id, SviTestServer.IsTerminal, timeoutSeconds: 600, apiKey: Owner);
        Assert.Equal("completed", before.GetProperty("status").GetString());
        var filesBefore = await OwnersFilesAsync(id);
        long records = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM generations");

        var routes = IdRoutes();
        // The table must hold at least the routes the API documents; more are covered as they appear.
        Assert.Superset(new HashSet<(string, string)>
        {
            ("GET", "/v1/videos/generations/{id}"), ("GET", "/v1/videos/generations/{id}/content"),
            ("POST", "/v1/videos/generations/{id}/extend"), ("POST", "/v1/videos/generations/{id}/cancel"),
            ("DELETE", "/v1/videos/generations/{id}"), ("GET", "/v1/videos/{id}"), ("GET", "/v1/videos/{id}/content"),
            ("DELETE", "/v1/videos/{id}"), ("POST", "/v1/videos/{id}/remix"),
        }, routes.ToHashSet());

        var refusals = new List<string>();
        foreach (var (method, route) in routes)
        {
            string path = route.Replace("{id}", id);
            string[] queries = route.EndsWith("/content") ? ["", .. ContentResults.Variants.Select(v => $"?variant={v}")] : [""];
            foreach (var query in queries)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path + query)
                {
                    Content = method is "POST" or "PUT" or "PATCH" ? Json(BodyFor(route)) : null,
                };
                request.Headers.Authorization = new("Bearer", Stranger);
                using var answer = await fixture.Client.SendAsync(request);
                string body = answer.Content.Headers.ContentType?.MediaType == "application/json"
                    ? await answer.Content.ReadAsStringAsync()
                    : $"({answer.Content.Headers.ContentType?.MediaType}, {(await answer.Content.ReadAsByteArrayAsync()).Length} bytes)";
                bool refused = answer.StatusCode == HttpStatusCode.NotFound && body.StartsWith('{')
                    && System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("error") is var error
                    && error.GetProperty("code").GetString() == "not_found" && error.GetProperty("param").GetString() == "id";
                if (!refused) refusals.Add($"{method} {route}{query}: {(int)answer.StatusCode} {body}");
            }
        }
        Assert.True(refusals.Count == 0, "another key's video was not a plain 404 on:\n" + string.Join("\n", refusals));

        // Nothing changed: the record, its files, the number of records, and the stranger still sees nothing.
        var (_, after) = await GetAsync(fixture.Client, $"/v1/videos/generations/{id}", Owner);
        Assert.Equal(before.ToString(), after.ToString());
        Assert.Equal(filesBefore, await OwnersFilesAsync(id));
        Assert.Equal(records, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM generations"));
        var (_, strangers) = await GetAsync(fixture.Client, "/v1/videos/generations?limit=100", Stranger);
        Assert.Empty(strangers.GetProperty("data").EnumerateArray());
    }

    // Every content variant as the owner downloads it: (variant, status, length).
    private async Task<List<(string, HttpStatusCode, long)>> OwnersFilesAsync(string id)
    {
        var files = new List<(string, HttpStatusCode, long)>();
        foreach (var variant in ContentResults.Variants)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/videos/generations/{id}/content?variant={variant}");
            request.Headers.Authorization = new("Bearer", Owner);
            using var response = await fixture.Client.SendAsync(request);
            files.Add((variant, response.StatusCode, (await response.Content.ReadAsByteArrayAsync()).LongLength));
        }
        Assert.All(files, f => Assert.Equal(HttpStatusCode.OK, f.Item2));
        return files;
    }
}
