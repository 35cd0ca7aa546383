using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Connect;

public sealed class LegacyAndServicePrincipalTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private AdoBridgeServer Server => fixture.Server;

    private async Task<string> AddLegacyAppAsync(string name)
    {
        using var emulator = await Server.EmulatorAdminAsync();
        const string secret = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.legacy-test-secret-0123456789";
        var registered = await (await emulator.PostAsJsonAsync("legacy-apps", new
        {
            displayName = "Fabrikam Legacy Bot",
            callbackUrl = new Uri(Server.BaseUrl, "/connect/callback").ToString(),
            scopes = new[] { "vso.code", "vso.project", "vso.profile" },
            clientSecret = secret,
        })).ShouldBeJsonAsync(HttpStatusCode.Created);
        using var api = Server.Client();
        var app = await (await api.PutAsJsonAsync($"/v1/admin/apps/{name}", new
        {
            type = "legacy",
            clientId = registered.GetProperty("appId").GetString(),
            clientSecret = secret,
            scopes = new[] { "vso.code", "vso.project", "vso.profile" },
            allowedReturnUrls = new[] { new Uri(Server.BaseUrl, "/").ToString() },
        })).ShouldBeJsonAsync(HttpStatusCode.Created);
        app.GetProperty("warnings").ToString().ShouldContain("legacy_app_retiring");
        return name;
    }

    [Fact]
    public async Task Legacy_ConnectRefreshAndMigrateToEntra_KeepsTheId()
    {
        var app = await AddLegacyAppAsync("legacy-one");
        var id = await Server.ConnectWithMicrosoftAsync("legacy-user", app: app, legacy: true);
        using var api = Server.Client();
        (await (await api.GetAsync($"/v1/connections/{id}")).ShouldBeJsonAsync()).GetProperty("authType").GetString().ShouldBe("legacy");
        (await (await api.PostAsync($"/v1/connections/{id}/refresh", null)).ShouldBeJsonAsync()).GetProperty("status").GetString().ShouldBe("active");

        var migration = await (await api.GetAsync("/v1/admin/migration")).ShouldBeJsonAsync();
        migration.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("connectionId").GetString()).ShouldContain(id);
        migration.GetProperty("entraApps").EnumerateArray().Select(a => a.GetString()).ShouldContain("sandbox");

        // The reconnect page explains the migration before the user signs in again.
        var session = await api.CreateConnectSessionAsync(new { endUserId = "legacy-user", app = "sandbox", reconnectConnectionId = id });
        using (var user = new BrowserlessUser())
        {
            await user.GetAsync(session.GetProperty("url").GetString()!);
            user.LastBody.ShouldContain("data-testid=\"migration-note\"");
        }

        (await Server.ConnectWithMicrosoftAsync("legacy-user", reconnect: id)).ShouldBe(id);
        var migrated = await (await api.GetAsync($"/v1/connections/{id}")).ShouldBeJsonAsync();
        migrated.GetProperty("authType").GetString().ShouldBe("entra");
        migrated.GetProperty("app").GetString().ShouldBe("sandbox");
        (await api.GetStringAsync("/v1/admin/migration")).ShouldNotContain(id);
    }

    [Fact]
    public async Task Legacy_RevokedByUser_MovesToNeedsReauth()
    {
        var app = await AddLegacyAppAsync("legacy-two");
        var id = await Server.ConnectWithMicrosoftAsync("legacy-revoker", upn: "bob@fabrikam.onmicrosoft.com", app: app, legacy: true);
        using var api = Server.Client();
        var clientId = (await (await api.GetAsync($"/v1/admin/apps/{app}")).ShouldBeJsonAsync()).GetProperty("clientId").GetString();
        using var emulator = await Server.EmulatorAdminAsync();
        (await emulator.PostAsJsonAsync("grants/revoke", new { userPrincipalName = "bob@fabrikam.onmicrosoft.com", clientId })).EnsureSuccessStatusCode();

        await (await api.PostAsync($"/v1/connections/{id}/refresh", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "connection_needs_reauth");

        (await (await api.GetAsync($"/v1/connections/{id}")).ShouldBeJsonAsync()).GetProperty("status").GetString().ShouldBe("needs_reauth");
    }

    private async Task<string> AddServicePrincipalAsync(string name, bool addToOrganization)
    {
        var clientId = Guid.NewGuid().ToString();
        const string secret = "Sp1~Bot.Secret-Value9For8The7Emulator6xx";
        using var emulator = await Server.EmulatorAdminAsync();
        (await emulator.PostAsJsonAsync("entra-apps", new
        {
            displayName = "Review bot",
            clientId,
            redirectUris = Array.Empty<string>(),
            secrets = new[] { new { secretId = "s1", value = secret } },
        })).EnsureSuccessStatusCode();
        if (addToOrganization)
        {
            (await emulator.PostAsJsonAsync("organizations/fabrikam/members", new { servicePrincipalClientId = clientId })).EnsureSuccessStatusCode();
        }

        using var api = Server.Client();
        (await api.PutAsJsonAsync($"/v1/admin/apps/{name}", new
        {
            type = "service-principal",
            tenant = "3f6a1c2e-8d4b-4e7a-9c15-2b7d9e0f4a61",
            authorityHost = await Server.EmulatorBaseAsync() + "login.microsoftonline.com",
            clientId,
            clientSecret = secret,
        })).StatusCode.ShouldBe(HttpStatusCode.Created);
        return name;
    }

    [Fact]
    public async Task ServicePrincipal_Connection_GetsAppOnlyTokens()
    {
        var app = await AddServicePrincipalAsync("review-bot", addToOrganization: true);
        using var api = Server.Client();

        var created = await (await api.PostAsJsonAsync("/v1/connections", new { type = "service-principal", app, organization = "fabrikam", endUserId = "bot" })).ShouldBeJsonAsync(HttpStatusCode.Created);

        created.GetProperty("authType").GetString().ShouldBe("service-principal");
        var id = created.GetProperty("id").GetString();
        var token = await (await api.PostAsync($"/v1/connections/{id}/access-token", null)).ShouldBeJsonAsync();
        using var ado = new HttpClient();
        ado.DefaultRequestHeaders.Authorization = new("Bearer", token.GetProperty("accessToken").GetString());
        var orgUrl = (await Server.DetailsAsync()).GetProperty("organizationUrl").GetString();
        (await ado.GetAsync($"{orgUrl}/_apis/projects?api-version=7.1")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await api.PostAsync($"/v1/connections/{id}/refresh", null)).ShouldBeJsonAsync()).GetProperty("status").GetString().ShouldBe("active");
    }

    [Fact]
    public async Task ServicePrincipal_NotAddedToOrganisation_IsRefusedWithTheFix()
    {
        var app = await AddServicePrincipalAsync("outsider-bot", addToOrganization: false);
        using var api = Server.Client();

        var problem = await (await api.PostAsJsonAsync("/v1/connections", new { type = "service-principal", app, organization = "fabrikam", endUserId = "bot" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "azure_devops_refused");

        problem.GetProperty("detail").GetString()!.ShouldContain("Add the service principal to the organisation");
    }
}
