namespace Svi.Server.Tests.Api;

/// <summary>
/// Nothing made from random weights passes for a real model: with <c>Svi:Inference:Weights=random</c> the model,
/// readiness and generation objects (both surfaces) say <c>"weights": "random"</c>, and the MP4s carry the comment tag.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class RandomWeightsLabelTests : FreshDatabaseTests
{
    SviTestServer server = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var options = new InferenceOptions { Weights = InferenceOptions.RandomWeights };
        server = await SviTestServer.StartAsync(Database, DataDirectory, withWorker: true,
            inventory: new RandomModelInventory("svi-2.0-pro-wan2.2-a14b", options, ModelManifest.Default().RolesFor), extraConfig: ["--Svi:Inference:Weights=random"]);
    }

    public override async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Model_readiness_and_generations_say_the_weights_are_random()
    {
        var (_, model) = await GetAsync(server.Client, "/v1/models/svi-2-0-pro");
        Assert.Equal("random", model.GetProperty("weights").GetString());
        Assert.Contains("RANDOM", model.GetProperty("description").GetString());
        Assert.True(model.GetProperty("availability").GetProperty("image_to_video").GetBoolean());
        var (ready, readiness) = await GetAsync(server.Client, "/readyz");
        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.Equal("random", readiness.GetProperty("weights").GetString());
        Assert.StartsWith("random-", readiness.GetProperty("modes").GetProperty("variant").GetString());

        var (status, created) = await PostJsonAsync(server.Client, "/v1/videos", JsonSerializer.Serialize(new { prompt = "a cat", seconds = "4" }));
        Assert.Equal(HttpStatusCode.OK, status);
        string id = created.GetProperty("id").GetString()!;
        var done = await server.WaitForAsync(id, SviTestServer.IsTerminal);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal("random", done.GetProperty("weights").GetString());
        var (_, video) = await GetAsync(server.Client, $"/v1/videos/{id}");
        Assert.Equal("random", video.GetProperty("weights").GetString());
    }

    [Fact]
    public async Task Random_weight_videos_carry_the_comment_tag_in_the_mp4()
    {
        var media = new FfmpegVideoMedia(new VideoEncoding { Comment = RandomWeightsLabel.Comment });
        var frames = RawVideo.Create(32, 32, new byte[32 * 32 * 3 * 5]);
        string part = Path.Combine(DataDirectory, "part.ts"), mp4 = Path.Combine(DataDirectory, "joined.mp4");
        await media.EncodeAsync(frames, part, CancellationToken.None);
        await media.ConcatAsync([part], mp4, CancellationToken.None);
        var probe = await FFMpegCore.FFProbe.AnalyseAsync(mp4);
        Assert.Equal(RandomWeightsLabel.Comment, probe.Format.Tags!["comment"]);

        var plain = Path.Combine(DataDirectory, "plain.mp4");
        await new FfmpegVideoMedia().ConcatAsync([part], plain, CancellationToken.None);
        Assert.False((await FFMpegCore.FFProbe.AnalyseAsync(plain)).Format.Tags?.ContainsKey("comment") ?? false);
    }
}
