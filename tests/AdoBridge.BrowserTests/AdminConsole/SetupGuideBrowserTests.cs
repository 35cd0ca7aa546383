using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AdoBridge.BrowserTests.Infrastructure;
using AdoBridge.Emulator;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AdoBridge.BrowserTests.AdminConsole;

/// <summary>
/// The Entra setup guide end to end in Chromium, against the emulator standing in for the Azure portal and Microsoft's
/// sign-in: the owner pastes the secret ID first, follows the fix the page gives, sees the doctor pass, and ends with a
/// test connection made through the real connect flow. axe-core on every page.
/// </summary>
public sealed class SetupGuideBrowserTests(ChromiumFixture fixture) : IClassFixture<ChromiumFixture>
{
    private const string SecretId = "0f9e8d7c-6b5a-4321-8765-43210fedcba9";
    private const string SecretValue = "Gd3~Guide.Browser-Secret9Value8For7Emu";

    [Fact]
    public async Task EntraGuide_SecretIdFirst_FixedFromThePage_DoctorPasses_TestConnectionConnects()
    {
        var (clientId, authorityHost) = await RegisterAppInEmulatorAsync();
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await ConsoleOwner.SetUpAsync(page, fixture.Server);

        // Apps → the Entra guide: the portal's steps with the exact values and copy buttons.
        await page.GetByRole(AriaRole.Link, new() { Name = "Apps", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Microsoft Entra ID app" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Microsoft Entra ID app (users sign in)");
        var redirectUri = new Uri(fixture.Server.BaseUrl, "/connect/callback").ToString();
        await Expect(page.Locator(".steps")).ToContainTextAsync(redirectUri);
        await Expect(page.Locator(".steps")).ToContainTextAsync("user_impersonation");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).First).ToBeVisibleAsync();
        await Accessibility.AssertAccessibleAsync(page, "console-setup-guide");

        // First the secret ID, as so many admins do: the page refuses it and says what to copy instead.
        await page.GetByLabel("Name in AdoBridge").FillAsync("contoso-entra");
        await page.GetByLabel("Display name").FillAsync("Contoso Code Review");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Single tenant: my organisation only" }).CheckAsync();
        await page.GetByLabel("Directory (tenant) ID").FillAsync(EmulatorDefaults.TenantId);
        await page.GetByLabel("Application (client) ID").FillAsync(clientId);
        await page.GetByLabel("Client secret value").FillAsync(SecretId);
        await page.GetByLabel("Authority host").FillAsync(authorityHost);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and check" }).ClickAsync();
        var alert = page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("This looks like the secret ID (a GUID), not the secret value.");
        await Expect(alert).ToContainTextAsync("copy the Value column, not Secret ID");
        await Accessibility.AssertAccessibleAsync(page, "console-setup-guide-refused");

        // The fix: paste the value. The fields already entered are kept; the secret is not.
        await Expect(page.GetByLabel("Application (client) ID")).ToHaveValueAsync(clientId);
        await Expect(page.GetByLabel("Client secret value")).ToHaveValueAsync(string.Empty);
        await page.GetByLabel("Client secret value").FillAsync(SecretValue);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and check" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/console/apps/contoso-entra"));
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("The app is saved.");

        // The doctor runs by itself once the page is there, live against the emulator's sign-in.
        await Expect(page.Locator("#doctor")).ToContainTextAsync("Every check passes.", new() { Timeout = 30_000 });
        await Expect(page.Locator("#doctor")).ToContainTextAsync("Microsoft accepted the tenant, client id and secret");
        await Expect(page.Locator("#doctor")).ToContainTextAsync($"The sign-in page accepts the redirect URI {redirectUri}");
        await Accessibility.AssertAccessibleAsync(page, "console-app");

        // The test connection: a connect link for a test end user, followed in another tab through Microsoft's sign-in.
        await page.GetByRole(AriaRole.Button, new() { Name = "Start a test connection" }).ClickAsync();
        var link = page.GetByRole(AriaRole.Link, new() { Name = "the test connect link" });
        await Expect(link).ToBeVisibleAsync();
        var connect = await context.NewPageAsync();
        await connect.GotoAsync((await link.GetAttributeAsync("href"))!);
        await connect.GetByTestId("signin-contoso-entra").Or(connect.GetByTestId("signin-sandbox")).First.ClickAsync();
        await connect.Locator($"button[data-upn='{EmulatorDefaults.AliceUpn}']").ClickAsync();
        var picker = connect.GetByTestId("connect-organizations");
        await connect.Locator("#accept").Or(picker).First.WaitForAsync(new() { Timeout = 30_000 });
        if (await connect.Locator("#accept").IsVisibleAsync())
        {
            await connect.Locator("#accept").ClickAsync();
        }

        await connect.GetByTestId("org-fabrikam").CheckAsync(new() { Timeout = 30_000 });
        await picker.ClickAsync();

        // Back in the console the page has kept asking, and now shows the connection.
        await Expect(page.Locator(".test-status")).ToContainTextAsync("Connected: the app works end to end.", new() { Timeout = 30_000 });
        await Accessibility.AssertAccessibleAsync(page, "console-app-tested");
    }

    private async Task<(string ClientId, string AuthorityHost)> RegisterAppInEmulatorAsync()
    {
        using var api = fixture.Server.Api();
        var sandbox = await api.GetJsonAsync("/v1/sandbox");
        var emulatorBase = sandbox.GetProperty("emulatorBaseUrl").GetString()!;
        using var emulator = new HttpClient { BaseAddress = new Uri(emulatorBase + "_admin/") };
        emulator.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.GetProperty("emulatorAdminToken").GetString());
        var clientId = Guid.NewGuid().ToString();
        using var response = await emulator.PostAsJsonAsync("entra-apps", new
        {
            displayName = "Contoso Code Review",
            clientId,
            redirectUris = new[] { new Uri(fixture.Server.BaseUrl, "/connect/callback").ToString() },
            secrets = new[] { new { secretId = SecretId, value = SecretValue } },
        });
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
        return (clientId, emulatorBase + EmulatorDefaults.LoginHost);
    }
}
