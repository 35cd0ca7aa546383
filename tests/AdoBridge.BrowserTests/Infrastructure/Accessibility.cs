using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace AdoBridge.BrowserTests.Infrastructure;

/// <summary>The check every page gets: a full-page screenshot (kept for the docs, see <see cref="DocsScreenshots"/>), then axe-core with no serious or critical violation.</summary>
public static class Accessibility
{
    public static async Task AssertAccessibleAsync(IPage page, string screenshot)
    {
        var path = ChromiumFixture.ScreenshotPath(screenshot);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        DocsScreenshots.Keep(screenshot, path);
        var serious = (await page.RunAxe()).Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Impact} {v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html))})");
        serious.ShouldBeEmpty();
    }
}
