using System.Text.RegularExpressions;
using AdoBridge.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AdoBridge.BrowserTests.AdminConsole;

/// <summary>
/// Inviting a colleague, in two browsers: the owner invites the sandbox environment's admin and copies the link shown
/// once; the colleague opens it, picks a name and password, lands on the overview as that admin, and finds the users
/// page closed to admins. axe-core on each page.
/// </summary>
public sealed class ConsoleUsersBrowserTests(ChromiumFixture fixture) : IClassFixture<ChromiumFixture>
{
    private const string Owner = ConsoleOwner.Name;
    private const string Password = ConsoleOwner.Password;

    [Fact]
    public async Task Owner_InvitesAnAdmin_WhoSignsUpOnTheLink()
    {
        await using var ownerContext = await fixture.NewContextAsync();
        var page = await ownerContext.NewPageAsync();
        await ConsoleOwner.SetUpAsync(page, fixture.Server);

        await page.GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Users");
        await Expect(page.Locator("main")).ToContainTextAsync(Owner + " (you)");
        await Accessibility.AssertAccessibleAsync(page, "console-users");
        await page.GetByLabel("For whom").FillAsync("dana@example.com");
        await page.GetByLabel("Role").SelectOptionAsync("admin");
        await page.GetByLabel("Environment (for an admin)").SelectOptionAsync("sandbox");
        await page.GetByRole(AriaRole.Button, new() { Name = "Make an invitation link" }).ClickAsync();
        var linkField = page.GetByLabel("Invitation link (shown once)");
        await Expect(linkField).ToHaveValueAsync(new Regex("/console/invite/"));
        await Expect(page.Locator("main")).ToContainTextAsync("dana@example.com");
        await Accessibility.AssertAccessibleAsync(page, "console-users-invited");
        var link = await linkField.InputValueAsync();

        // The colleague, in a browser of their own.
        await using var danaContext = await fixture.NewContextAsync();
        var dana = await danaContext.NewPageAsync();
        await dana.GotoAsync(link);
        await Expect(dana.Locator("h1")).ToHaveTextAsync("Accept the invitation");
        await Expect(dana.Locator("main")).ToContainTextAsync("an admin account for environment 'sandbox'");
        await Accessibility.AssertAccessibleAsync(dana, "console-invite");
        await dana.GetByLabel("User name").FillAsync("dana@example.com");
        await dana.GetByLabel("Password (at least").FillAsync(Password);
        await dana.GetByLabel("The same password again").FillAsync(Password);
        await dana.GetByRole(AriaRole.Button, new() { Name = "Create my account" }).ClickAsync();
        await dana.WaitForURLAsync(new Regex("/console$"));
        await Expect(dana.Locator(".who")).ToContainTextAsync("dana@example.com");
        await dana.GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true }).ClickAsync();
        await Expect(dana.Locator("main")).ToContainTextAsync("managed by owners only");

        // The link worked once; the owner's list shows the new account and no pending invitation.
        await dana.GotoAsync(link);
        await Expect(dana.GetByRole(AriaRole.Alert)).ToContainTextAsync("has been used, revoked or has expired");
        await page.GotoAsync(new Uri(fixture.Server.BaseUrl, "/console/users").ToString());
        await Expect(page.Locator("tbody").First).ToContainTextAsync("dana@example.com");
        await Expect(page.Locator("main")).ToContainTextAsync("None.");
    }
}
