using Microsoft.Playwright;

namespace AdoBridge.BrowserTests.Infrastructure;

/// <summary>
/// One sandbox AdoBridge and one headless Debian Chromium, shared by the tests of a class; each test gets its own
/// browser context (fresh cookies). Playwright only drives the browser: it never downloads one of its own.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    // As root Chromium needs --no-sandbox; the rest keep it from calling Google's services, which this closed network
    // refuses (many failed connections at each start). Playwright gives every launch a fresh, empty --user-data-dir
    // itself and refuses one passed in Args.
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? playwright;
    private IBrowser? browser;
    private AdoBridgeServer? server;

    public AdoBridgeServer Server => server ?? throw new InvalidOperationException("Not started.");

    /// <summary>Where screenshots go: the test output folder, so they sit next to the results.</summary>
    public static string ScreenshotDir { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            // Fail, never skip: a browser test that quietly does not run proves nothing.
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}. Run .ci/run as root, which installs Debian's chromium (or run: apt-get update && apt-get install -y chromium), then run the tests again.");
        }

        var serverStarting = AdoBridgeServer.StartAsync();
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            ChromiumSandbox = false,
            Args = ChromiumArgs,
            Timeout = 30_000,
        });
        server = await serverStarting;
    }

    /// <summary>A new browser context: its own cookie jar, as a different end user's browser would have.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await (browser ?? throw new InvalidOperationException("Not started.")).NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "en-GB",
            ViewportSize = new ViewportSize { Width = 1000, Height = 800 },
        });
        // Every page here is served from loopback: a step that takes seconds is a failure, not slowness.
        context.SetDefaultTimeout(10_000);
        // A navigation waits for every script of the page. The API reference loads Scalar's 3 MB bundle, and in the test
        // command this suite shares two cores with the integration suite: CI once took more than 10 s to reach "load".
        context.SetDefaultNavigationTimeout(30_000);
        return context;
    }

    public static string ScreenshotPath(string name)
    {
        Directory.CreateDirectory(ScreenshotDir);
        return Path.Combine(ScreenshotDir, name + ".png");
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
