using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AdoBridge.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AdoBridge.BrowserTests.AdminConsole;

/// <summary>
/// The operator's first hour in the console, in one browser: the banner's setup link creates the owner, the connections
/// page lists and filters, sign-out and sign-in work, and five wrong passwords lock the account. axe-core on every page.
/// </summary>
public sealed class ConsoleBrowserTests(ChromiumFixture fixture) : IClassFixture<ChromiumFixture>
{
    private const string Owner = "owner@example.com";
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task Setup_Connections_SignOut_SignIn_Lockout()
    {
        await CreatePatConnectionAsync("console-alice");
        await CreatePatConnectionAsync("console-bob");
        var setupLink = fixture.Server.ConsoleSetupLink;
        setupLink.ShouldNotBeNull();

        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();

        // The start page leads to the console.
        await page.GotoAsync(fixture.Server.BaseUrl.ToString());
        await page.GetByRole(AriaRole.Link, new() { Name = "Open the admin console" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/console/sign-in"));
        await Expect(page.Locator("main")).ToContainTextAsync("No account exists yet");
        await Accessibility.AssertAccessibleAsync(page, "console-sign-in-first-run");

        // First run: the banner's link creates the owner and signs it in.
        await page.GotoAsync(setupLink);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Create the owner account");
        await Accessibility.AssertAccessibleAsync(page, "console-setup");
        await page.GetByLabel("User name").FillAsync(Owner);
        await page.GetByLabel("Password (at least").FillAsync("short");
        await page.GetByLabel("The same password again").FillAsync("short");
        await page.Locator("#password").EvaluateAsync("e => e.removeAttribute('minlength')");
        await page.Locator("#confirmation").EvaluateAsync("e => e.removeAttribute('minlength')");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the owner account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("at least 12 characters");
        await page.GetByLabel("Password (at least").FillAsync(Password);
        await page.GetByLabel("The same password again").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the owner account" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/console$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Overview");
        await page.GetByRole(AriaRole.Link, new() { Name = "Connections", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/console/connections"));

        // The connections page lists both, and the filters narrow the list (htmx swaps the list; the URL follows).
        await Expect(page.Locator("#results tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator(".who")).ToContainTextAsync(Owner);
        await Accessibility.AssertAccessibleAsync(page, "console-connections");
        // The search matches the start of an id, end-user id, name or e-mail, in any case.
        await page.GetByLabel("Search").FillAsync("Console-Al");
        await Expect(page.Locator("#results tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#results tbody")).ToContainTextAsync("console-alice");
        await page.WaitForURLAsync(new Regex("search=Console-Al"));
        await page.GetByLabel("Search").FillAsync(string.Empty);
        await page.GetByLabel("Status").SelectOptionAsync("needs_reauth");
        await Expect(page.Locator("#results")).ToContainTextAsync("No connection matches this filter.");
        await page.GetByLabel("Status").SelectOptionAsync("active");
        await page.GetByLabel("Organisation").FillAsync("no-such-organisation");
        await Expect(page.Locator("#results")).ToContainTextAsync("No connection matches this filter.");
        await page.GetByLabel("Organisation").FillAsync(string.Empty);
        await page.GetByLabel("End user id").FillAsync("console-bob");
        await Expect(page.Locator("#results tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#results tbody")).ToContainTextAsync("console-bob");

        // At phone width the list is still readable, and everything is reachable by keyboard.
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        await Expect(page.Locator("#results tbody tr")).ToHaveCountAsync(1);
        await Accessibility.AssertAccessibleAsync(page, "console-connections-phone");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("a.skip")).ToBeFocusedAsync();
        await page.SetViewportSizeAsync(1280, 800);

        // Sign out, then in again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/console/sign-in"));
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("You are signed out.");
        await page.GotoAsync(new Uri(fixture.Server.BaseUrl, "/console/connections").ToString());
        await page.WaitForURLAsync(new Regex("/console/sign-in\\?returnUrl="));
        await page.GetByLabel("User name").FillAsync(Owner);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/console/connections$"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/console/sign-in"));

        // Five wrong passwords lock the account: then even the right one is refused, with a message that says why.
        for (var i = 1; i <= 5; i++)
        {
            await page.GetByLabel("User name").FillAsync(Owner);
            await page.GetByLabel("Password").FillAsync("wrong password " + i);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        }

        await page.GetByLabel("User name").FillAsync(Owner);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This account is locked after 5 failed sign-ins within 15 minutes");
        await Accessibility.AssertAccessibleAsync(page, "console-locked");
        page.Url.ShouldContain("/console/sign-in");
    }

    private async Task CreatePatConnectionAsync(string endUserId)
    {
        using var api = fixture.Server.Api();
        var sandbox = await api.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/sandbox");
        using var response = await api.PostAsJsonAsync("/v1/connections", new
        {
            type = "pat",
            endUserId,
            organization = sandbox.GetProperty("organization").GetString(),
            pat = sandbox.GetProperty("pat").GetString(),
        });
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }
}
