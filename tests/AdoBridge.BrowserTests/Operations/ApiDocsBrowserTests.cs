using AdoBridge.BrowserTests.Infrastructure;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AdoBridge.BrowserTests.Operations;

/// <summary>The API reference at /docs, as a product developer reads it in Chromium: served by AdoBridge alone, readable by everyone.</summary>
public sealed class ApiDocsBrowserTests(ChromiumFixture fixture, ITestOutputHelper output) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Docs_ShowTheOperationsAndTheApiKeyScheme_FromAdoBridgeAlone_WithoutSeriousAccessibilityViolations()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var elsewhere = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(fixture.Server.BaseUrl.ToString(), StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                elsewhere.Add(request.Url);
            }
        };

        // The page's text is asserted below, with its own wait; the navigation need not wait for every script to run.
        await page.GotoAsync(new Uri(fixture.Server.BaseUrl, "/docs").ToString(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });

        await Expect(page.Locator("body")).ToContainTextAsync("AdoBridge API", new() { Timeout = 30_000 });
        await Expect(page.Locator("body")).ToContainTextAsync("Create a connect link", new() { Timeout = 30_000 });
        await Expect(page.Locator("body")).ToContainTextAsync("adbk_");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ChromiumFixture.ScreenshotPath("api-docs"), FullPage = false });
        elsewhere.ShouldBeEmpty("the reference page must not load anything from outside AdoBridge (no CDN)");

        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        foreach (var violation in serious)
        {
            output.WriteLine($"{violation.Impact} {violation.Id}: {violation.Help} ({violation.Nodes.Length} nodes), e.g. {string.Join(" | ", violation.Nodes.Take(5).Select(n => n.Html + " " + string.Join(";", n.Any.Select(a => a.Message))))}");
        }

        serious.Select(v => $"{v.Impact} {v.Id} x{v.Nodes.Length}").ShouldBeEmpty();
    }
}
