using System.Net;
using System.Text.RegularExpressions;
using AdoBridge.BrowserTests.Infrastructure;
using AdoBridge.Emulator;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AdoBridge.BrowserTests.Connect;

/// <summary>
/// Chat apps unfurl links and mail scanners open them (some in a real browser) before the person does. None of that may
/// take the link over: the browser is bound only when someone presses a button on the page.
/// </summary>
public sealed class LinkPreviewBrowserTests(ChromiumFixture fixture) : IClassFixture<ChromiumFixture>
{
    private string ReturnUrl => new Uri(fixture.Server.BaseUrl, "/product/return").ToString();

    [Fact]
    public async Task LinkPreviewAndScannerOpenTheLinkFirst_TheUserStillConnectsInTheirBrowser()
    {
        using var api = fixture.Server.Api();
        var link = await api.CreateConnectLinkAsync("previewed-user", ReturnUrl);

        // A chat app's preview: HEAD and GET without cookies.
        using (var unfurler = new HttpClient())
        {
            (await unfurler.SendAsync(new HttpRequestMessage(HttpMethod.Head, link))).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await unfurler.GetAsync(link)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // A mail scanner that opens the link in a browser of its own.
        await using (var scanner = await fixture.NewContextAsync())
        {
            var scanned = await scanner.NewPageAsync();
            await scanned.GotoAsync(link);
            await Expect(scanned.GetByTestId("signin-sandbox")).ToBeVisibleAsync();
        }

        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(link);
        await page.GetByTestId("signin-sandbox").ClickAsync();
        await page.Locator($"button[data-upn='{EmulatorDefaults.AliceUpn}']").ClickAsync();
        var picker = page.GetByTestId("connect-organizations");
        await page.Locator("#accept").Or(picker).First.WaitForAsync();
        if (await page.Locator("#accept").IsVisibleAsync())
        {
            await page.Locator("#accept").ClickAsync();
        }

        await Expect(page.Locator("h1")).ToHaveTextAsync("Choose organisations");
        await page.GetByTestId("org-fabrikam").CheckAsync();
        await picker.ClickAsync();
        await page.WaitForURLAsync(new Regex("^" + Regex.Escape(ReturnUrl) + @"\?connectionId=conn_[^&]+&status=active$"), new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
    }

    [Fact]
    public async Task OnceTheUserHasPressedSignIn_AnotherBrowserOpeningTheLinkIsTurnedAway()
    {
        using var api = fixture.Server.Api();
        var link = await api.CreateConnectLinkAsync("bound-user", ReturnUrl);
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(link);
        await page.GetByTestId("signin-sandbox").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Pick an account");

        await using var other = await fixture.NewContextAsync();
        var otherPage = await other.NewPageAsync();
        await otherPage.GotoAsync(link);

        await Expect(otherPage.Locator("h1")).ToHaveTextAsync("Continue in the browser you started in");
    }
}
