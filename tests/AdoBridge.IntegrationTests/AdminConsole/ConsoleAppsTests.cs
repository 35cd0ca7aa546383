using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.IntegrationTests.AdminConsole;

/// <summary>
/// The console's apps over HTTP, as a browser would post them: the Entra guide refuses a pasted secret ID with the fix and
/// saves nothing, the doctor on the app's page names a wrong secret and passes once its value is replaced, a rotation shows
/// both secrets checked on their own before the old one is retired, and a test connection goes through the real connect flow.
/// </summary>
public sealed partial class ConsoleAppsTests : IAsyncLifetime
{
    private const string Tenant = "3f6a1c2e-8d4b-4e7a-9c15-2b7d9e0f4a61";
    private const string OldSecret = "Old1~Console.Secret-Value9For8The7Emu6x";
    private const string NewSecret = "New2~Console.Secret-Value9For8The7Emu6x";

    private AdoBridgeServer server = null!;
    private ConsoleSession owner = null!;

    public async Task InitializeAsync()
    {
        server = await AdoBridgeServer.StartAsync();
        owner = new ConsoleSession(server.BaseUrl);
        (await owner.SetUpOwnerAsync(ConsoleSession.SetupToken(server))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    public async Task DisposeAsync()
    {
        owner.Dispose();
        await server.DisposeAsync();
    }

    /// <summary>Registers an Entra app in the emulator, as the admin would in the portal, with the old and the new secret.</summary>
    private async Task<string> RegisterInEmulatorAsync(string name)
    {
        var clientId = Guid.NewGuid().ToString();
        using var emulator = await server.EmulatorAdminAsync();
        (await emulator.PostAsJsonAsync("entra-apps", new
        {
            displayName = name,
            clientId,
            redirectUris = new[] { new Uri(server.BaseUrl, "/connect/callback").ToString() },
            secrets = new[] { new { secretId = "11111111-2222-3333-4444-555555555555", value = OldSecret }, new { secretId = "66666666-7777-8888-9999-000000000000", value = NewSecret } },
        })).EnsureSuccessStatusCode();
        return clientId;
    }

    private async Task<Dictionary<string, string>> EntraFormAsync(string name, string clientId, string secret) => new()
    {
        ["name"] = name,
        ["displayName"] = "Console Guide Test",
        ["tenantMode"] = "single",
        ["tenant"] = Tenant,
        ["clientId"] = clientId,
        ["secret"] = secret,
        ["secretId"] = "2026-12",
        ["secretExpires"] = "2027-06-01",
        ["authorityHost"] = await server.EmulatorBaseAsync() + "login.microsoftonline.com",
    };

    private async Task<string> DoctorAsync(string name)
    {
        var response = await owner.Http.GetAsync($"/console/apps/{name}/doctor");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task EntraGuide_SecretIdPasted_IsRefusedWithTheFix_ThenTheDoctorFindsAWrongValue_AndPassesOnceReplaced()
    {
        var clientId = await RegisterInEmulatorAsync("guide-app");
        var guide = await owner.GetAsync("/console/apps/new/entra");
        guide.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await guide.Content.ReadAsStringAsync();
        page.ShouldContain(new Uri(server.BaseUrl, "/connect/callback").ToString());
        page.ShouldContain("user_impersonation");
        page.ShouldContain("499b84ac-1321-427f-aa17-267ca6975798");

        // The secret ID, a GUID, pasted where the value goes: the page says so and how to fix it, and nothing is stored.
        using (var refused = await owner.PostAsync("/console/apps/new/entra", await EntraFormAsync("guide-app", clientId, "11111111-2222-3333-4444-555555555555")))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
            html.ShouldContain("This looks like the secret ID (a GUID), not the secret value.");
            html.ShouldContain("copy the Value column, not Secret ID");
            html.ShouldNotContain("11111111-2222-3333-4444-555555555555", customMessage: "a secret, even a wrong one, is never echoed into the page");
        }

        using var api = server.Client();
        (await api.GetAsync("/v1/admin/apps/guide-app")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // A value that is not the secret passes the form, and the live doctor names it with Microsoft's code and the fix.
        await owner.GetAsync("/console/apps/new/entra");
        using (var saved = await owner.PostAsync("/console/apps/new/entra", await EntraFormAsync("guide-app", clientId, "Wr0ng~Secret.Value-That9Is8Not7Registered")))
        {
            saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            saved.Headers.Location!.OriginalString.ShouldBe("/console/apps/guide-app?created=1");
        }

        var appPage = await (await owner.GetAsync("/console/apps/guide-app?created=1")).Content.ReadAsStringAsync();
        appPage.ShouldContain("The app is saved.");
        appPage.ShouldNotContain("Wr0ng~Secret");
        var doctor = WebUtility.HtmlDecode(await DoctorAsync("guide-app"));
        doctor.ShouldContain("AADSTS7000215");
        doctor.ShouldContain("paste the secret *value*");
        doctor.ShouldContain("The app does not work yet");

        // The fix, on the same page: replace the secret's value.
        using (var replaced = await owner.PostAsync("/console/apps/guide-app/secrets", new() { ["id"] = "2026-12", ["value"] = OldSecret }))
        {
            replaced.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }

        doctor = WebUtility.HtmlDecode(await DoctorAsync("guide-app"));
        doctor.ShouldContain("Every check passes.");
        doctor.ShouldContain("Microsoft accepted the tenant, client id and secret");

        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.ConsoleAudit.CountAsync(a => a.Action == "console.app_created" && a.Detail!.Contains("guide-app"))).ShouldBe(1);
        (await db.ConsoleAudit.CountAsync(a => a.Action == "console.app_secret_set" && a.Detail!.Contains("replaced"))).ShouldBe(1);
        (await db.ConsoleAudit.AnyAsync(a => a.Detail!.Contains(OldSecret))).ShouldBeFalse();
    }

    [Fact]
    public async Task Rotation_BothSecretsCheckedOnTheirOwn_ThenTheOldOneRetired()
    {
        var clientId = await RegisterInEmulatorAsync("rotate-app");
        await owner.GetAsync("/console/apps/new/entra");
        (await owner.PostAsync("/console/apps/new/entra", await EntraFormAsync("rotate-app", clientId, OldSecret))).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        await owner.GetAsync("/console/apps/rotate-app");
        (await owner.PostAsync("/console/apps/rotate-app/secrets", new() { ["id"] = "2027-05", ["value"] = NewSecret, ["expires"] = "2027-11-30" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await (await owner.GetAsync("/console/apps/rotate-app?added=2027-05")).Content.ReadAsStringAsync();
        page.ShouldContain("Secret 2027-05 is added.");
        page.ShouldContain("Retire secret 2026-12");

        var doctor = WebUtility.HtmlDecode(await DoctorAsync("rotate-app"));
        doctor.ShouldContain("credentials:2026-12");
        doctor.ShouldContain("credentials:2027-05");
        doctor.ShouldContain("Every check passes.");

        (await owner.PostAsync("/console/apps/rotate-app/secrets/2026-12/retire", [])).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        using var api = server.Client();
        var app = await (await api.GetAsync("/v1/admin/apps/rotate-app")).ShouldBeJsonAsync();
        app.GetProperty("clientSecrets").EnumerateArray().Select(s => s.GetProperty("id").GetString()).ShouldBe(["2027-05"]);
        WebUtility.HtmlDecode(await DoctorAsync("rotate-app")).ShouldContain("Every check passes.");

        // The last secret cannot be retired: the page says why, and the app keeps it.
        await owner.GetAsync("/console/apps/rotate-app");
        using var last = await owner.PostAsync("/console/apps/rotate-app/secrets/2027-05/retire", []);
        last.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        WebUtility.HtmlDecode(await last.Content.ReadAsStringAsync()).ShouldContain("No client secret is configured.");
        (await (await api.GetAsync("/v1/admin/apps/rotate-app")).ShouldBeJsonAsync()).GetProperty("clientSecrets").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task TestConnection_GoesThroughTheConnectFlow_AndThePageShowsTheConnection()
    {
        var clientId = await RegisterInEmulatorAsync("tested-app");
        await owner.GetAsync("/console/apps/new/entra");
        (await owner.PostAsync("/console/apps/new/entra", await EntraFormAsync("tested-app", clientId, OldSecret))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await owner.GetAsync("/console/apps/tested-app");

        using var started = await owner.PostAsync("/console/apps/tested-app/test", new() { ["environment"] = "sandbox" });
        started.StatusCode.ShouldBe(HttpStatusCode.OK);
        var fragment = await started.Content.ReadAsStringAsync();
        var link = WebUtility.HtmlDecode(ConnectLink().Match(fragment).Groups[1].Value);
        link.ShouldStartWith(new Uri(server.BaseUrl, "/connect/").ToString());
        var poll = WebUtility.HtmlDecode(PollUrl().Match(fragment).Groups[1].Value);
        (await (await owner.Http.GetAsync(poll)).Content.ReadAsStringAsync()).ShouldContain("Waiting for the sign-in to finish");

        using var user = new BrowserlessUser();
        await user.SignInAsync(link, "alice@fabrikam.onmicrosoft.com", app: "tested-app");
        (await user.GetAsync(user.Location(link))).StatusCode.ShouldBe(HttpStatusCode.OK, user.LastBody);
        (await (await owner.Http.GetAsync(poll)).Content.ReadAsStringAsync()).ShouldContain("Waiting for the sign-in to finish", customMessage: "picking organisations is part of connecting");
        await user.PostFormAsync(link + "/organizations", [new("organizations", "fabrikam")]);
        user.Last!.StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.Redirect, HttpStatusCode.SeeOther);
        var done = await (await owner.Http.GetAsync(poll)).Content.ReadAsStringAsync();
        done.ShouldContain("Connected: the app works end to end.");
        var connectionId = ConnectionId().Match(done).Groups[1].Value;
        using var api = server.Client();
        var connection = await (await api.GetAsync($"/v1/connections/{connectionId}")).ShouldBeJsonAsync();
        connection.GetProperty("app").GetString().ShouldBe("tested-app");
        connection.GetProperty("status").GetString().ShouldBe("active");
    }

    [Fact]
    public async Task BadInput_ShowsThePageWithTheMessage_NeverA500()
    {
        (await owner.GetAsync("/console/apps/new/nonsense")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await owner.GetAsync("/console/apps/no-such-app")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await owner.Http.GetAsync("/console/apps/no-such-app/doctor")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        await owner.GetAsync("/console/apps/new/pat");
        using (var badName = await owner.PostAsync("/console/apps/new/pat", new() { ["name"] = "Not A Name" }))
        {
            badName.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            WebUtility.HtmlDecode(await badName.Content.ReadAsStringAsync()).ShouldContain("'Not A Name' is not a valid app name.");
        }

        using (var taken = await owner.PostAsync("/console/apps/new/pat", new() { ["name"] = "sandbox" }))
        {
            taken.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        }

        using (var badDate = await owner.PostAsync("/console/apps/new/entra", new() { ["name"] = "dated", ["secretExpires"] = "next year" }))
        {
            badDate.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            WebUtility.HtmlDecode(await badDate.Content.ReadAsStringAsync()).ShouldContain("'next year' is not a date.");
        }

        using (var server2 = await owner.PostAsync("/console/apps/new/pat", new() { ["name"] = "server-pats", ["serverUrl"] = "https://dev.azure.com/fabrikam" }))
        {
            server2.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            WebUtility.HtmlDecode(await server2.Content.ReadAsStringAsync()).ShouldContain("is Azure DevOps Services, not a Server");
        }

        // The sandbox app is AdoBridge's own: its page shows it, and a change is refused with the reason.
        await owner.GetAsync("/console/apps/sandbox");
        using (var readOnly = await owner.PostAsync("/console/apps/sandbox/secrets", new() { ["id"] = "x", ["value"] = "Some~Secret.Value-1234567890" }))
        {
            readOnly.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            WebUtility.HtmlDecode(await readOnly.Content.ReadAsStringAsync()).ShouldContain("comes from sandbox");
        }

        using var noToken = await owner.PostAsync("/console/apps/new/pat", new() { ["name"] = "no-token" }, withToken: false);
        noToken.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var api = server.Client();
        (await api.GetAsync("/v1/admin/apps/no-token")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // A PAT app for an Azure DevOps Server collection is saved from its guide.
        await owner.GetAsync("/console/apps/new/pat");
        (await owner.PostAsync("/console/apps/new/pat", new() { ["name"] = "server-pats", ["serverUrl"] = "https://ado.contoso.com/tfs/DefaultCollection" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var saved = await (await api.GetAsync("/v1/admin/apps/server-pats")).ShouldBeJsonAsync();
        saved.GetProperty("type").GetString().ShouldBe("pat");
        saved.GetProperty("azureDevOps").GetProperty("serverUrl").GetString().ShouldBe("https://ado.contoso.com/tfs/DefaultCollection");
    }

    [GeneratedRegex("href=\"(http[^\"]+/connect/[^\"]+)\"")]
    private static partial Regex ConnectLink();

    [GeneratedRegex("hx-get=\"([^\"]+/test/[^\"]+)\"")]
    private static partial Regex PollUrl();

    [GeneratedRegex("Connection <code>(conn_[^<]+)</code>")]
    private static partial Regex ConnectionId();
}
