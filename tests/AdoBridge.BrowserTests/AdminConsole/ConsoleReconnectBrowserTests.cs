using System.Net;
using System.Text.RegularExpressions;
using AdoBridge.BrowserTests.Infrastructure;
using AdoBridge.Emulator;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AdoBridge.BrowserTests.AdminConsole;

/// <summary>
/// An operator brings back a connection whose grant was revoked: the overview and the list flag it, its page makes a
/// reconnect link (shown once), the end user follows it through Microsoft's sign-in and consent (the emulator), and the
/// same connection is active again. On the way: the API keys and environments pages, and axe-core on every page.
/// </summary>
public sealed class ConsoleReconnectBrowserTests(ChromiumFixture fixture) : IClassFixture<ChromiumFixture>
{
    private static readonly PageGotoOptions Slow = new() { Timeout = 60_000 };

    [Fact]
    public async Task ReconnectLink_FollowedThroughConsent_MakesTheSameConnectionActive()
    {
        using var api = fixture.Server.Api();
        await using var endUserContext = await fixture.NewContextAsync();
        var endUser = await endUserContext.NewPageAsync();
        endUser.SetDefaultNavigationTimeout(60_000);
        endUser.SetDefaultTimeout(30_000);

        // An end user connects; then their grant is revoked and the connection needs re-authorisation.
        await endUser.GotoAsync(await api.CreateConnectLinkAsync("console-reconnect-user", new Uri(fixture.Server.BaseUrl, "/product/return").ToString()), Slow);
        var connectionId = await SignInAndPickAsync(endUser, expectReturn: true);
        await api.RevokeGrantAsync(EmulatorDefaults.AliceUpn);
        using (var refresh = await api.PostAsync($"/v1/connections/{connectionId}/refresh", null))
        {
            refresh.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        }

        // The operator creates the owner from the banner's link and lands on the overview.
        await using var operatorContext = await fixture.NewContextAsync();
        var page = await operatorContext.NewPageAsync();
        page.SetDefaultNavigationTimeout(60_000);
        page.SetDefaultTimeout(30_000);
        await ConsoleOwner.SetUpAsync(page, fixture.Server, Slow);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Overview");
        await Expect(page.Locator("main")).ToContainTextAsync("console-reconnect-user");
        await Accessibility.AssertAccessibleAsync(page, "console-overview");

        // The list flags the connection and leads to its reconnect button.
        await page.GetByRole(AriaRole.Link, new() { Name = "Connections", Exact = true }).ClickAsync();
        await Expect(page.Locator("#results")).ToContainTextAsync("needs re-authorisation");
        await Accessibility.AssertAccessibleAsync(page, "console-connections-needs-reauth");
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Reconnect .*console-reconnect-user") }).ClickAsync();
        await page.WaitForURLAsync(new Regex($"/console/connections/{connectionId}#reconnect$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Connection {connectionId}");
        await Accessibility.AssertAccessibleAsync(page, "console-connection");

        // The reconnect link is shown once, with a copy button.
        await page.GetByRole(AriaRole.Button, new() { Name = "Create a reconnect link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Reconnect link created.");
        var link = await page.GetByLabel("Reconnect link (shown once)").InputValueAsync();
        link.ShouldContain("/connect/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        await Expect(page.Locator("#secret-value-status")).Not.ToBeEmptyAsync();
        await Accessibility.AssertAccessibleAsync(page, "console-reconnect-link");

        // The end user follows it: Microsoft's sign-in and consent again, the organisations, and AdoBridge's "Connected" page.
        await endUser.GotoAsync(link, Slow);
        (await SignInAndPickAsync(endUser, expectReturn: false)).ShouldBe(connectionId);

        // The same connection is active again.
        await page.GotoAsync(new Uri(fixture.Server.BaseUrl, $"/console/connections/{connectionId}").ToString(), Slow);
        await Expect(page.Locator(".facts .badge").First).ToHaveTextAsync("active");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("Reconnect link (shown once)");
        (await api.GetJsonAsync($"/v1/connections/{connectionId}")).GetProperty("status").GetString().ShouldBe("active");

        // At phone width the connection page still reads; the delete confirmation, API keys and environments pages pass axe too.
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync(new() { Timeout = 60_000 });
        await Accessibility.AssertAccessibleAsync(page, "console-connection-phone");
        await page.SetViewportSizeAsync(1280, 800);
        await page.GetByRole(AriaRole.Link, new() { Name = "Delete this connection…" }).ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("This cannot be undone.");
        await Accessibility.AssertAccessibleAsync(page, "console-delete-connection");
        await page.GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await page.GetByLabel("What it is for").FillAsync("browser test key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        await Expect(page.GetByLabel("New API key (shown once)")).ToHaveValueAsync(new Regex("^adbk_"));
        await Accessibility.AssertAccessibleAsync(page, "console-api-keys");
        await page.GetByRole(AriaRole.Link, new() { Name = "Environments" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Environments");
        await Accessibility.AssertAccessibleAsync(page, "console-environments");
    }

    /// <summary>On a connect page: signs in as Alice (consenting if asked), picks fabrikam, and returns the connection id.</summary>
    private static async Task<string> SignInAndPickAsync(IPage page, bool expectReturn)
    {
        await page.GetByTestId("signin-sandbox").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Pick an account");
        await page.Locator($"button[data-upn='{EmulatorDefaults.AliceUpn}']").ClickAsync();
        var picker = page.GetByTestId("connect-organizations");
        await page.Locator("#accept").Or(picker).First.WaitForAsync(new() { Timeout = 60_000 });
        if (await page.Locator("#accept").IsVisibleAsync())
        {
            await page.Locator("#accept").ClickAsync();
        }

        await Expect(page.Locator("h1")).ToHaveTextAsync("Choose organisations", new() { Timeout = 60_000 });
        await page.GetByTestId("org-fabrikam").CheckAsync();
        await picker.ClickAsync();
        if (expectReturn)
        {
            await page.WaitForURLAsync(new Regex(@"connectionId=conn_[^&]+&status=active$"), new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
            return System.Web.HttpUtility.ParseQueryString(new Uri(page.Url).Query)["connectionId"]!;
        }

        await Expect(page.GetByTestId("connected")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        return await page.Locator("code").Last.InnerTextAsync();
    }
}
