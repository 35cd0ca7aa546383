using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AdoBridge.BrowserTests.Infrastructure;
using AdoBridge.Emulator;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AdoBridge.BrowserTests.AdminConsole;

/// <summary>
/// Sign-in with Microsoft in Chromium, against the sandbox's emulator: the owner invites Alice's e-mail address; Alice
/// presses "Sign in with Microsoft" on the sign-in page, picks her account and consents at the (emulated) Microsoft
/// pages, and lands on the console as the admin the invitation made; Bob, never invited, is turned away with a message.
/// axe-core on the sign-in page (with its Microsoft button) and on the refusal.
/// </summary>
public sealed class ConsoleOidcBrowserTests(ChromiumFixture fixture) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task InvitedPerson_SignsInWithMicrosoft_AndAStrangerIsTurnedAway()
    {
        await RegisterConsoleAppAsync();
        await using var ownerContext = await fixture.NewContextAsync();
        var owner = await ownerContext.NewPageAsync();
        await ConsoleOwner.SetUpAsync(owner, fixture.Server);
        await owner.GotoAsync(new Uri(fixture.Server.BaseUrl, "/console/users").ToString());
        await owner.GetByLabel("For whom").FillAsync(EmulatorDefaults.AliceUpn);
        await owner.GetByLabel("Role").SelectOptionAsync("admin");
        await owner.GetByLabel("Environment (for an admin)").SelectOptionAsync("sandbox");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Make an invitation link" }).ClickAsync();
        await Expect(owner.GetByLabel("Invitation link (shown once)")).ToHaveValueAsync(new Regex("/console/invite/"));
        await Accessibility.AssertAccessibleAsync(owner, "console-users-oidc-invited");

        await using var aliceContext = await fixture.NewContextAsync();
        var alice = await aliceContext.NewPageAsync();
        await alice.GotoAsync(new Uri(fixture.Server.BaseUrl, "/console/sign-in").ToString());
        await Accessibility.AssertAccessibleAsync(alice, "console-sign-in");
        await SignInWithMicrosoftAsync(alice, EmulatorDefaults.AliceUpn);
        await alice.WaitForURLAsync(new Regex("/console$"));
        await Expect(alice.Locator(".who")).ToContainTextAsync($"{EmulatorDefaults.AliceUpn} (admin)");

        await using var bobContext = await fixture.NewContextAsync();
        var bob = await bobContext.NewPageAsync();
        await bob.GotoAsync(new Uri(fixture.Server.BaseUrl, "/console/sign-in").ToString());
        await SignInWithMicrosoftAsync(bob, EmulatorDefaults.BobUpn);
        await Expect(bob.GetByRole(AriaRole.Alert)).ToContainTextAsync($"No console account or pending invitation is for {EmulatorDefaults.BobUpn}");
        await Expect(bob.Locator("h1")).ToHaveTextAsync("Sign in");
        await Accessibility.AssertAccessibleAsync(bob, "console-sign-in-refused");
    }

    private static async Task SignInWithMicrosoftAsync(IPage page, string upn)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with Microsoft" }).ClickAsync();
        // The emulator's account picker and consent page stand in for Microsoft's (each person here signs in to this app once).
        await page.Locator($"#pick-account button[data-upn='{upn}']").ClickAsync();
        await page.Locator("#consent-form #accept").ClickAsync();
    }

    /// <summary>Registers the console's app (client id, secret, redirect URI) in the sandbox's emulator, as an Entra admin would.</summary>
    private async Task RegisterConsoleAppAsync()
    {
        using var api = fixture.Server.Api();
        var sandbox = await api.GetJsonAsync("/v1/sandbox");
        using var emulator = new HttpClient { BaseAddress = new Uri(sandbox.GetProperty("emulatorBaseUrl").GetString()! + "_admin/") };
        emulator.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.GetProperty("emulatorAdminToken").GetString());
        using var response = await emulator.PostAsJsonAsync("entra-apps", new
        {
            displayName = "AdoBridge console",
            clientId = AdoBridgeServer.ConsoleOidcClientId,
            redirectUris = new[] { new Uri(fixture.Server.BaseUrl, "/console/sign-in/microsoft/callback").ToString() },
            secrets = new[] { new { secretId = "console", value = AdoBridgeServer.ConsoleOidcSecret } },
        });
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }
}
