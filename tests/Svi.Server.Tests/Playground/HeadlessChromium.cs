using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Svi.Server.Tests.Playground;

/// <summary>
/// Debian's headless Chromium driven through its chromedriver (packages chromium and chromium-driver, which
/// <c>./svi test</c> installs). Paths are given explicitly so Selenium never looks for or downloads a driver; the
/// flags keep the browser off the network except for the test server on 127.0.0.1.
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    public ChromeDriver Driver { get; }
    public string ArtifactDirectory { get; }

    public HeadlessChromium()
    {
        var browser = Find("SVI_CHROMIUM", "chromium", "chromium-browser", "google-chrome");
        var driver = Find("SVI_CHROMEDRIVER", "chromedriver");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driver)!, Path.GetFileName(driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = browser };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,1000",
            "--autoplay-policy=no-user-gesture-required", "--mute-audio", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-domain-reliability", "--no-pings",
            "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication");
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(30));
        ArtifactDirectory = Path.Combine(AppContext.BaseDirectory, "artifacts", "playground");
        Directory.CreateDirectory(ArtifactDirectory);
    }

    /// <summary>Waits, polling, until <paramref name="condition"/> holds; fails with <paramref name="what"/> after the bound.</summary>
    public T Until<T>(Func<IWebDriver, T> condition, string what, double seconds = 20)
    {
        var wait = new WebDriverWait(Driver, TimeSpan.FromSeconds(seconds)) { PollingInterval = TimeSpan.FromMilliseconds(50), Message = what };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try { return wait.Until(condition); }
        catch (WebDriverTimeoutException e)
        {
            // What the page showed when the wait gave up is the fastest way to see why.
            var shot = Screenshot("failed-" + string.Concat(what.Select(c => char.IsLetterOrDigit(c) ? c : '-')));
            var text = Driver.FindElement(By.TagName("main")).Text;
            throw new WebDriverTimeoutException($"{e.Message}\nScreenshot: {shot}\nPage text:\n{text}", e);
        }
    }

    public object? Script(string script, params object[] args) => Driver.ExecuteScript(script, args);

    /// <summary>Saves the page as <c>artifacts/playground/NAME.png</c> beside the test assembly and returns the path.</summary>
    public string Screenshot(string name)
    {
        var path = Path.Combine(ArtifactDirectory, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    private static string Find(string variable, params string[] names)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } configured) return configured;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in names)
                if (File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        throw new InvalidOperationException(
            $"{names[0]} was not found on PATH (or in {variable}). './svi test' installs Debian's chromium and chromium-driver.");
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
    }
}
