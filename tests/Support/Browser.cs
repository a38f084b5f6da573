using Microsoft.Playwright;

namespace Minix318Emu.Tests.Support;

/// <summary>
/// Debian's Chromium driven by Playwright (the system browser through its executable path; no
/// browser download). Records console errors, uncaught page errors and every request that
/// is not for a file: URL, so a test can assert a page is self-contained.
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
    }

    public IPage Page { get; }

    /// <summary>Console messages of type error and uncaught exceptions, in order.</summary>
    public List<string> Errors { get; } = new();

    /// <summary>Requests for anything but file: URLs (they were aborted).</summary>
    public List<string> Network { get; } = new();

    /// <summary>Starts Chromium headless (skips the calling test when it is not installed; .ci/run installs it).</summary>
    public static async Task<Browser> Start(int width = 1400, int height = 1000)
    {
        Skip.IfNot(File.Exists(Chromium), $"{Chromium} is not installed (apt-get install chromium; .ci/run installs it): the HTML report's browser tests need it");
        IPlaywright pw = await Playwright.CreateAsync();
        IBrowser browser = await pw.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = new[] { "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage" },
        });
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var b = new Browser(pw, browser, page);
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                b.Errors.Add(m.Text);
            }
        };
        page.PageError += (_, e) => b.Errors.Add(e);
        await page.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith("file:", StringComparison.Ordinal))
            {
                await route.ContinueAsync();
            }
            else
            {
                b.Network.Add(route.Request.Url);
                await route.AbortAsync();
            }
        });
        return b;
    }

    /// <summary>Opens a file and waits for the load event; returns the milliseconds it took.</summary>
    public async Task<double> Open(string path, string fragment = "")
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await Page.GotoAsync(new Uri(Path.GetFullPath(path)).AbsoluteUri + fragment, new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 120_000 });
        return sw.Elapsed.TotalMilliseconds;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
