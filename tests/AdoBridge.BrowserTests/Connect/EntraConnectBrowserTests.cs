using System.Text.RegularExpressions;
using System.Web;
using AdoBridge.BrowserTests.Infrastructure;
using AdoBridge.Emulator;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AdoBridge.BrowserTests.Connect;

/// <summary>The end user's side of connecting, in a real Chromium: AdoBridge's connect pages, Microsoft's sign-in (the emulator), and back.</summary>
public sealed class EntraConnectBrowserTests(ChromiumFixture fixture, ITestOutputHelper output) : IClassFixture<ChromiumFixture>
{
    private const string Product = AdoBridgeServer.ProductName;

    private string ReturnUrl => new Uri(fixture.Server.BaseUrl, "/product/return").ToString();

    [Fact]
    public async Task EntraConnect_SignInPickTwoOrganisations_ReturnsToProductWithActiveConnection()
    {
        using var api = fixture.Server.Api();
        var link = await api.CreateConnectLinkAsync("browser-user", ReturnUrl);
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(link);
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Connect {Product} to Azure DevOps");
        await Expect(page.Locator("main")).ToContainTextAsync($"{Product} asks to reach your Azure DevOps organisations. It will be able to:");
        await Expect(page.Locator("main li")).ToHaveTextAsync(["Act as you in Azure DevOps: read and change code, pull requests, work items and pipelines you can reach"]);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ChromiumFixture.ScreenshotPath("connect-landing"), FullPage = true });
        await page.GetByTestId("signin-sandbox").ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("Pick an account");
        await page.Locator($"button[data-upn='{EmulatorDefaults.AliceUpn}']").ClickAsync();
        var picker = page.GetByTestId("connect-organizations");
        await page.Locator("#accept").Or(picker).First.WaitForAsync();
        if (await page.Locator("#accept").IsVisibleAsync())
        {
            await page.Locator("#accept").ClickAsync();
        }

        await Expect(page.Locator("h1")).ToHaveTextAsync("Choose organisations");
        await Expect(page.Locator("main")).ToContainTextAsync($"Signed in as Alice Fabrikam ({EmulatorDefaults.AliceUpn}). Which organisations may {Product} reach?");
        await Expect(page.Locator("input[name=organizations]")).ToHaveCountAsync(2);
        await page.GetByTestId("org-fabrikam").CheckAsync();
        await page.GetByTestId("org-fabrikam-labs").CheckAsync();
        var screenshot = ChromiumFixture.ScreenshotPath("organisation-picker");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        output.WriteLine($"Organisation picker: {screenshot}");
        await picker.ClickAsync();

        // The product's return page does not exist on AdoBridge (a 404 there is expected): the URL is what counts, so
        // wait for the navigation to commit, not for that page's load event (a wait for it once hung here for 10 s). The
        // picker's POST exchanges tokens and calls the emulator: on a loaded machine that alone has taken over 10 s.
        try
        {
            await page.WaitForURLAsync(new Regex("^" + Regex.Escape(ReturnUrl) + @"\?connectionId=conn_[^&]+&status=active$"), new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        }
        catch (TimeoutException)
        {
            // Say where the browser ended up instead (an error page, or the product's URL with another status).
            var body = await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 });
            throw new TimeoutException($"The picker did not return to the product within 30 s; the browser is at {page.Url}, showing: {body[..Math.Min(body.Length, 500)]}");
        }
        var connectionId = HttpUtility.ParseQueryString(new Uri(page.Url).Query)["connectionId"];
        var connection = await api.GetJsonAsync($"/v1/connections/{connectionId}");
        connection.GetProperty("status").GetString().ShouldBe("active");
        connection.GetProperty("endUserId").GetString().ShouldBe("browser-user");
        connection.GetProperty("authType").GetString().ShouldBe("entra");
        connection.GetProperty("organizations").EnumerateArray().Select(o => o.GetString()).ShouldBe([EmulatorDefaults.Organization, EmulatorDefaults.LabsOrganization]);
        connection.GetProperty("identity").GetProperty("email").GetString().ShouldBe(EmulatorDefaults.AliceUpn);
    }

    [Fact]
    public async Task EntraConnect_ConsentDeclined_ShowsDeclinedPageWhoseTryAgainRestarts()
    {
        using var api = fixture.Server.Api();
        await api.RemoveConsentAsync(EmulatorDefaults.GuestUpn);
        var link = await api.CreateConnectLinkAsync("browser-decliner", ReturnUrl);
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(link);
        await page.GetByTestId("signin-sandbox").ClickAsync();
        await page.Locator($"button[data-upn='{EmulatorDefaults.GuestUpn}']").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Permissions requested");
        await page.Locator("#cancel").ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("You declined access");
        await Expect(page.GetByTestId("connect-error")).ToContainTextAsync($"{Product} was not given access to Azure DevOps because the permission request was declined.");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ChromiumFixture.ScreenshotPath("consent-declined"), FullPage = true });
        var back = page.GetByRole(AriaRole.Link, new() { Name = $"Back to {Product}" });
        await Expect(back).ToHaveAttributeAsync("href", new Regex("^" + Regex.Escape(ReturnUrl) + @"\?.*error=consent_declined"));
        (await api.GetJsonAsync("/v1/connections?endUserId=browser-decliner")).GetProperty("items").GetArrayLength().ShouldBe(0);

        await page.GetByRole(AriaRole.Link, new() { Name = "Try again" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(link);
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Connect {Product} to Azure DevOps");
        await Expect(page.GetByTestId("signin-sandbox")).ToBeVisibleAsync();
    }
}
