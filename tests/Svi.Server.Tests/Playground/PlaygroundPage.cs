using OpenQA.Selenium;

namespace Svi.Server.Tests.Playground;

/// <summary>What the browser tests do on the playground page, by the page's own elements; every wait is bounded.</summary>
public sealed class PlaygroundPage(HeadlessChromium browser, Uri server)
{
    private IWebDriver Driver => browser.Driver;

    /// <summary>Opens the page in a tab whose session storage holds <paramref name="apiKey"/> (none: the page asks).</summary>
    public void Open(string? apiKey)
    {
        Driver.Navigate().GoToUrl(new Uri(server, "/playground"));
        browser.Script(apiKey is null ? "sessionStorage.clear()" : "sessionStorage.setItem('svi.apiKey', arguments[0])", apiKey ?? "");
        Driver.Navigate().Refresh();
        if (apiKey is not null) browser.Until(d => d.FindElements(By.CssSelector("#fields textarea[name=prompts]")).Count > 0, "the form built from the model schema");
    }

    public IWebElement Field(string name) => Driver.FindElement(By.CssSelector($"#fields [name='{name}']"));

    public void Set(string name, string value)
    {
        var field = Field(name);
        field.Clear();
        field.SendKeys(value);
    }

    public IReadOnlyList<string> CardIds() =>
        [.. Driver.FindElements(By.CssSelector("#generations .card")).Select(c => c.GetDomAttribute("data-id") ?? "")];

    public IWebElement Card(string id) => Driver.FindElement(By.CssSelector($"#generations .card[data-id='{id}']"));

    /// <summary>Runs <paramref name="submit"/> and returns the id of the generation card that appears.</summary>
    public string NewCardAfter(Action submit)
    {
        var before = CardIds().ToHashSet();
        submit();
        return browser.Until(_ => CardIds().FirstOrDefault(id => !before.Contains(id)), "a new generation card")!;
    }

    public string Status(string id) => Card(id).GetDomAttribute("data-status") ?? "";

    public void WaitForStatus(string id, string status, double seconds = 30) =>
        browser.Until(_ => Status(id) == status, $"{id} to be {status}", seconds);

    public void Click(string id, string action) => Card(id).FindElement(By.CssSelector($"[data-action='{action}']")).Click();

    public IWebElement Video(string slot) => Driver.FindElement(By.Id($"player-{slot}"));

    /// <summary>Waits until slot's video shows generation <paramref name="id"/> with its metadata loaded; returns its duration.</summary>
    public double WaitForVideo(string slot, string id, bool partial, double seconds = 20) => browser.Until(_ =>
    {
        var state = (IReadOnlyDictionary<string, object>)browser.Script(
            "const v = arguments[0]; return { id: v.dataset.id || '', partial: v.dataset.partial || '', ready: v.readyState, duration: v.duration || 0 };",
            Video(slot))!;
        bool loaded = (string)state["id"] == id && (string)state["partial"] == (partial ? "true" : "false") &&
                      Convert.ToInt64(state["ready"]) >= 1 && Convert.ToDouble(state["duration"]) > 0;
        return loaded ? state["duration"] : null;
    }, $"slot {slot} to load {(partial ? "the partial" : "the final")} video of {id}", seconds) is var duration ? Convert.ToDouble(duration) : 0;

    /// <summary>Waits until the slot's video plays past <paramref name="seconds"/> of media time.</summary>
    public void WaitForPlayback(string slot, double seconds) => browser.Until(_ =>
        Convert.ToDouble(browser.Script("return arguments[0].currentTime", Video(slot))) > seconds,
        $"slot {slot} to play past {seconds} s");

    public string Text(string cssSelector) => Driver.FindElement(By.CssSelector(cssSelector)).Text;
}
