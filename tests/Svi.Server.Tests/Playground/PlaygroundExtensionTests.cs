using OpenQA.Selenium;
using Xunit.Abstractions;

namespace Svi.Server.Tests.Playground;

/// <summary>
/// Extend and remix from the playground, on the tiny-model renderer: an extension continues the source's stored
/// clip state, which only the real clip loop writes (the ffmpeg test renderer has none to continue from).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class PlaygroundExtensionTests(TinyRendererFixture fixture, HeadlessChromium browser, ITestOutputHelper output)
    : IClassFixture<TinyRendererFixture>, IClassFixture<HeadlessChromium>
{
    private readonly PlaygroundPage page = new(browser, fixture.Server.BaseAddress);

    [Fact]
    public async Task Extend_with_new_prompts_and_remix_start_new_generations_and_a_bad_value_shows_the_APIs_message()
    {
        var image = ImageFixtures.PngDataUrl;
        var (status, created) = await Http.PostJsonAsync(fixture.Server.Client, "/v1/videos/generations",
            JsonSerializer.Serialize(new { prompt = "a kite rises", duration = 5, image, seed = 3 }), TinyRendererFixture.OtherKey);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var source = created.GetProperty("id").GetString()!;
        await fixture.Server.WaitForAsync(source, SviTestServer.IsTerminal, 120, TinyRendererFixture.OtherKey);
        var api = await Http.PostJsonAsync(fixture.Server.Client, $"/v1/videos/generations/{source}/extend",
            """{"prompts": ["the kite dives"], "duration": 500}""", TinyRendererFixture.OtherKey);
        var expected = Http.AssertError(api, HttpStatusCode.BadRequest, "duration").GetProperty("message").GetString();

        page.Open(TinyRendererFixture.OtherKey);
        browser.Until(_ => page.CardIds().Contains(source) && page.Status(source) == "completed", "the finished source");
        page.Click(source, "extend");
        var form = page.Card(source).FindElement(By.CssSelector(".extend-form"));
        var duration = form.FindElement(By.CssSelector("input[name=duration]"));
        form.FindElement(By.CssSelector("textarea[name=prompts]")).SendKeys("the kite dives");
        duration.SendKeys("500");
        form.FindElement(By.CssSelector("button[type=submit]")).Click();
        browser.Until(_ => page.Card(source).FindElement(By.CssSelector(".card-error")).Text == expected, "the API's message on the card");
        Assert.Contains("invalid", duration.GetDomAttribute("class"));

        form.FindElement(By.CssSelector(".add-prompt")).Click();
        form.FindElements(By.CssSelector("textarea[name=prompts]"))[1].SendKeys("it lands in the grass");
        duration.Clear();
        duration.SendKeys("4.75");
        var extension = page.NewCardAfter(() => form.FindElement(By.CssSelector("button[type=submit]")).Click());
        Assert.Contains($"extends {source}", page.Card(extension).FindElement(By.CssSelector(".meta")).Text);
        Assert.Equal("a kite rises → the kite dives → it lands in the grass", page.Card(extension).FindElement(By.CssSelector(".prompt")).Text);
        page.WaitForStatus(extension, "completed", 60);
        Assert.Equal("clip 2 of 2", page.Card(extension).FindElement(By.CssSelector(".clip")).Text);
        output.WriteLine($"screenshot: {browser.Screenshot("07-extended")}");

        page.Click(source, "remix");
        var remix = page.Card(source).FindElement(By.CssSelector(".remix-form"));
        remix.FindElement(By.CssSelector("input[name=prompt]")).SendKeys("now at night");
        var remixed = page.NewCardAfter(() => remix.FindElement(By.CssSelector("button[type=submit]")).Click());
        Assert.Contains($"remix of {source}", page.Card(remixed).FindElement(By.CssSelector(".meta")).Text);
        Assert.Equal("now at night", page.Card(remixed).FindElement(By.CssSelector(".prompt")).Text);
    }
}
