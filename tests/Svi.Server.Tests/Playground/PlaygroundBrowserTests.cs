using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using Xunit.Abstractions;

namespace Svi.Server.Tests.Playground;

/// <summary>
/// The playground in headless Chromium against the real server (test renderer, real PostgreSQL and ffmpeg). Each
/// state is saved as a screenshot under the test assembly's <c>artifacts/playground/</c>.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class PlaygroundBrowserTests(PlaygroundFixture fixture, ITestOutputHelper output) : IClassFixture<PlaygroundFixture>
{
    private readonly PlaygroundPage page = new(fixture.Browser, fixture.Server.BaseAddress);
    private HeadlessChromium Browser => fixture.Browser;

    private void Screenshot(string name) => output.WriteLine($"screenshot: {Browser.Screenshot(name)}");

    private async Task<string> SubmitAsync(string apiKey, string prompt, double seconds)
    {
        var (status, body) = await Http.PostJsonAsync(fixture.Server.Client, "/v1/videos/generations",
            $$"""{"prompt": "{{prompt}}", "duration": {{seconds}}}""", apiKey);
        Assert.Equal(HttpStatusCode.Accepted, status);
        return body.GetProperty("id").GetString()!;
    }

    private Task CompletedAsync(string id, string apiKey) =>
        fixture.Server.WaitForAsync(id, g => g.GetProperty("status").GetString() == "completed", apiKey: apiKey);

    [Fact]
    public void Page_asks_for_the_API_key_once_and_keeps_it_in_session_storage_only()
    {
        page.Open(apiKey: null);
        Browser.Until(d => d.FindElement(By.Id("key-dialog")).GetDomAttribute("open") is not null, "the key dialog");
        Assert.Equal("Missing API key: send 'Authorization: Bearer <key>'.", page.Text("#key-reason"));
        Screenshot("01-api-key");

        Browser.Driver.FindElement(By.Id("key-input")).SendKeys("sk-not-a-key-of-this-server");
        Browser.Driver.FindElement(By.Id("key-save")).Click();
        Browser.Until(_ => page.Text("#key-reason") == "Incorrect API key provided.", "the API's answer to a wrong key");

        Browser.Driver.FindElement(By.Id("key-input")).SendKeys(PlaygroundFixture.Key);
        Browser.Driver.FindElement(By.Id("key-save")).Click();
        Browser.Until(d => d.FindElements(By.CssSelector("#fields textarea[name=prompts]")).Count > 0, "the form after the key");
        Assert.Null(Browser.Driver.FindElement(By.Id("key-dialog")).GetDomAttribute("open"));

        Browser.Driver.Navigate().Refresh();
        Browser.Until(d => d.FindElements(By.CssSelector("#fields textarea[name=prompts]")).Count > 0, "the form after a reload");
        Assert.Null(Browser.Driver.FindElement(By.Id("key-dialog")).GetDomAttribute("open"));
        Assert.Equal(PlaygroundFixture.Key, Browser.Script("return sessionStorage.getItem('svi.apiKey')"));
        Assert.Equal(0L, Browser.Script("return localStorage.length"));
        Assert.Equal("", Browser.Script("return document.cookie"));
    }

    [Fact]
    public void Image_job_renders_to_100_percent_while_its_partial_video_plays_then_plays_the_result()
    {
        page.Open(PlaygroundFixture.Key);
        var image = Path.Combine(Browser.ArtifactDirectory, "anchor.png");
        File.WriteAllBytes(image, ImageFixtures.Encode("png", ImageFixtures.Halves(160, 96)));
        page.Field("image").SendKeys(image);
        Browser.Until(d => d.FindElement(By.CssSelector("#fields .drop img")).Displayed, "the image preview");
        page.Set("prompts", "a red and blue flag waves in the wind");
        page.Set("duration", "20");
        page.Set("seed", "7");
        var id = page.NewCardAfter(() => page.Field("prompts").Submit());

        // 5 clips (320 frames: 81 + 4 × 76 cover it): the partial MP4 of the finished clips plays in slot A while later clips render.
        double partial = page.WaitForVideo("a", id, partial: true);
        Assert.Equal("in_progress", page.Status(id));
        Assert.Matches(@"^clip \d of 5 · (denoising|encoding)$", page.Card(id).FindElement(By.CssSelector(".clip")).Text);
        Assert.StartsWith("ETA ", page.Card(id).FindElement(By.CssSelector(".eta")).Text);
        Assert.False(page.Card(id).FindElement(By.CssSelector(".thumb img")).Displayed, "no thumbnail before the video is done");
        Screenshot("02-rendering");

        page.WaitForStatus(id, "completed");
        Assert.Equal("100", page.Card(id).FindElement(By.CssSelector(".progress")).GetDomAttribute("data-progress"));
        Assert.Equal("clip 5 of 5", page.Card(id).FindElement(By.CssSelector(".clip")).Text);
        double full = page.WaitForVideo("a", id, partial: false);
        Assert.InRange(full, 19.5, 20.5);
        Assert.True(partial < full, $"the partial video ({partial} s) should be shorter than the result ({full} s)");
        page.WaitForPlayback("a", 0.2);
        Assert.Contains("image", page.Card(id).FindElement(By.CssSelector(".meta")).Text);
        Screenshot("03-completed");
    }

    [Fact]
    public async Task Bad_input_shows_the_APIs_own_message()
    {
        var api = await Http.SendAsync(fixture.Server.Client, HttpMethod.Post, "/v1/videos/generations",
            new MultipartFormDataContent { { new StringContent("a fox"), "prompts" }, { new StringContent("5"), "cfg" } }, PlaygroundFixture.Key);
        var expected = Http.AssertError(api, HttpStatusCode.BadRequest, "cfg").GetProperty("message").GetString();

        page.Open(PlaygroundFixture.Key);
        var before = page.CardIds();
        page.Set("prompts", "a fox");
        page.Set("cfg", "5");
        page.Field("prompts").Submit();
        Browser.Until(_ => page.Text("#form-error").Length > 0, "the error message");
        Assert.Equal(expected, page.Text("#form-error"));
        Assert.Contains("invalid", page.Field("cfg").GetDomAttribute("class"));
        Assert.Equal(before, page.CardIds());
        Screenshot("04-validation");

        page.Set("cfg", "");
        page.Field("prompts").Clear();
        page.Field("prompts").Submit();
        Browser.Until(_ => page.Text("#form-error").Contains("'prompt'"), "the API's message for a missing prompt");
    }

    [Fact]
    public async Task Lora_strengths_are_set_one_box_per_lora_under_more_settings_and_a_bad_one_marks_its_box()
    {
        page.Open(PlaygroundFixture.Key);
        Browser.Driver.FindElement(By.CssSelector("#fields details summary")).Click();
        Assert.Contains("distilled: ", page.Field("lora_strengths[distill_lora_high]").GetDomAttribute("placeholder"));

        page.Set("prompts", "a heron lifts off the water");
        page.Set("lora_strengths[lora_high]", "9");
        var before = page.CardIds();
        page.Field("prompts").Submit();
        Browser.Until(_ => page.Text("#form-error").Length > 0, "the error message");
        Assert.Contains("'lora_strengths.lora_high' must be a number from 0 to 4", page.Text("#form-error"));
        Assert.Contains("invalid", page.Field("lora_strengths[lora_high]").GetDomAttribute("class"));
        Assert.Equal(before, page.CardIds());
        Screenshot("06-lora-strength-refused");

        page.Set("lora_strengths[lora_high]", "0.8");
        var id = page.NewCardAfter(() => page.Field("prompts").Submit());
        var (status, generation) = await Http.SendAsync(fixture.Server.Client, HttpMethod.Get, $"/v1/videos/generations/{id}", apiKey: PlaygroundFixture.Key);
        Assert.Equal(HttpStatusCode.OK, status);
        var strengths = generation.GetProperty("lora_strengths");
        Assert.Equal(0.8, strengths.GetProperty("lora_high").GetDouble());
        // The boxes left blank sent nothing: those LoRAs keep the deployment's strength.
        Assert.Equal(1.0, strengths.GetProperty("lora_low").GetDouble());
    }

    [Fact]
    public void Cancel_stops_a_running_job()
    {
        page.Open(PlaygroundFixture.Key);
        page.Set("prompts", "a very long walk along the coast");
        page.Set("duration", "120");
        var running = page.NewCardAfter(() => page.Field("prompts").Submit());
        page.WaitForStatus(running, "in_progress");
        page.Click(running, "cancel");
        page.WaitForStatus(running, "cancelled");
        Assert.Contains("cancelled", page.Card(running).FindElement(By.CssSelector(".card-error")).Text);
        Assert.False(page.Card(running).FindElement(By.CssSelector("[data-action='cancel']")).Enabled);
        Screenshot("05-cancelled");
    }

    [Fact]
    public async Task Two_videos_play_side_by_side_in_sync_and_the_spritesheet_shows_on_hover()
    {
        var first = await SubmitAsync(PlaygroundFixture.OtherKey, "seed one", 8);
        var second = await SubmitAsync(PlaygroundFixture.OtherKey, "seed two", 8);
        await CompletedAsync(first, PlaygroundFixture.OtherKey);
        await CompletedAsync(second, PlaygroundFixture.OtherKey);
        page.Open(PlaygroundFixture.OtherKey);
        Browser.Until(_ => page.CardIds().Count == 2, "both cards");
        page.Click(first, "compare-a");
        page.Click(second, "compare-b");
        page.WaitForVideo("a", first, partial: false);
        page.WaitForVideo("b", second, partial: false);
        Assert.True(Browser.Driver.FindElement(By.Id("sync-bar")).Displayed);

        Browser.Script("arguments[0].pause(); arguments[1].pause(); arguments[0].currentTime = 2;", page.Video("a"), page.Video("b"));
        Browser.Until(_ => Math.Abs(Convert.ToDouble(Browser.Script("return arguments[0].currentTime", page.Video("b"))) - 2) < 0.05,
            "B to follow A's seek");
        Browser.Driver.FindElement(By.Id("sync-play")).Click();
        Browser.Until(_ => (bool)Browser.Script("return !arguments[0].paused && !arguments[1].paused", page.Video("a"), page.Video("b"))!,
            "both videos to play");
        page.WaitForPlayback("b", 2.2);
        Browser.Driver.FindElement(By.Id("sync-play")).Click();
        Browser.Until(_ => (bool)Browser.Script("return arguments[0].paused && arguments[1].paused", page.Video("a"), page.Video("b"))!,
            "both videos to pause");

        var thumb = page.Card(first).FindElement(By.CssSelector(".thumb"));
        Browser.Until(_ => thumb.FindElement(By.TagName("img")).Displayed, "the thumbnail");
        new Actions(Browser.Driver).MoveToElement(thumb, 50, 10).Perform();
        Browser.Until(_ => thumb.FindElement(By.CssSelector(".sheet")).Displayed &&
                           thumb.FindElement(By.CssSelector(".sheet")).GetCssValue("background-image").StartsWith("url(\"blob:"),
            "the spritesheet under the pointer");
        Screenshot("06-compare");
    }

    [Fact]
    public async Task Pages_through_the_keys_generations()
    {
        var ids = new List<string>();
        for (int i = 0; i < 9; i++)
        {
            var (status, body) = await Http.PostJsonAsync(fixture.Server.Client, "/v1/videos/generations",
                $$"""{"prompt": "{{FfmpegTestRenderer.FailPrompt}}", "duration": 5}""", PlaygroundFixture.PagingKey);
            Assert.Equal(HttpStatusCode.Accepted, status);
            ids.Add(body.GetProperty("id").GetString()!);
        }
        page.Open(PlaygroundFixture.PagingKey);
        Browser.Until(_ => page.CardIds().Count == 8, "the first page");
        Assert.Equal(ids.AsEnumerable().Reverse().Take(8), page.CardIds());
        Assert.False(Browser.Driver.FindElement(By.Id("newer")).Enabled);

        Browser.Until(d => d.FindElement(By.Id("older")).Enabled, "the Older button");
        Browser.Driver.FindElement(By.Id("older")).Click();
        Browser.Until(_ => page.CardIds().SequenceEqual([ids[0]]), "the second page");
        Assert.False(Browser.Driver.FindElement(By.Id("older")).Enabled);
        Browser.Driver.FindElement(By.Id("newer")).Click();
        Browser.Until(_ => page.CardIds().Count == 8, "the first page again");
    }
}
