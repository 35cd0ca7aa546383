using System.Text.RegularExpressions;
using AdoBridge.BrowserTests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AdoBridge.BrowserTests.Operations;

/// <summary>A newcomer whose connect flow returns to AdoBridge itself (the sandbox's default return URL) is told it worked and what comes next.</summary>
public sealed class StartPageBrowserTests(ChromiumFixture fixture) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task ConnectWithPat_ReturningToAdoBridge_StartPageSaysConnectedAndWhatToCallNext()
    {
        using var api = fixture.Server.Api();
        var sandbox = await api.GetJsonAsync("/v1/sandbox");
        var link = await api.CreateConnectLinkAsync("start-page-user", fixture.Server.BaseUrl.ToString());
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(link);
        await page.Locator("#organization").FillAsync(sandbox.GetProperty("organization").GetString()!);
        await page.Locator("#pat").FillAsync(sandbox.GetProperty("pat").GetString()!);
        await page.GetByTestId("pat-submit").ClickAsync();

        await page.WaitForURLAsync(new Regex(@"\?connectionId=conn_[^&]+&status=active$"), new() { Timeout = 60_000 });
        await Expect(page.Locator("h2")).ToHaveTextAsync("Connected");
        var id = Regex.Match(page.Url, "connectionId=(conn_[^&]+)").Groups[1].Value;
        await Expect(page.Locator("[role=status]")).ToContainTextAsync($"The connection {id} is active");
        await Expect(page.Locator("[role=status]")).ToContainTextAsync($"GET /v1/connections/{id}");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ChromiumFixture.ScreenshotPath("start-page-connected"), FullPage = true });

        var serious = (await page.RunAxe()).Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Impact} {v.Id}");
        serious.ShouldBeEmpty();
    }
}
