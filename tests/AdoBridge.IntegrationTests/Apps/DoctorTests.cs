using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Apps;

public sealed class DoctorTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private const string Tenant = "3f6a1c2e-8d4b-4e7a-9c15-2b7d9e0f4a61";
    private const string Secret = "Dr1~Doctor.Secret-Value9For8The7Emu6xxx";

    private AdoBridgeServer Server => fixture.Server;

    /// <summary>Registers an app in the emulator as an admin would in the portal, then describes it to AdoBridge with some mistake.</summary>
    private async Task<JsonElement> DoctorAsync(string name, Func<string, object> appWithClientId, bool registerRedirect = true, DateTimeOffset? secretExpires = null)
    {
        var clientId = Guid.NewGuid().ToString();
        using var emulator = await Server.EmulatorAdminAsync();
        (await emulator.PostAsJsonAsync("entra-apps", new
        {
            displayName = name,
            clientId,
            redirectUris = registerRedirect ? new[] { new Uri(Server.BaseUrl, "/connect/callback").ToString() } : ["https://elsewhere.example/callback"],
            secrets = new[] { new { secretId = "s1", value = Secret, expiresAt = secretExpires } },
        })).EnsureSuccessStatusCode();
        using var api = Server.Client();
        (await api.PutAsJsonAsync($"/v1/admin/apps/{name}", appWithClientId(clientId))).StatusCode.ShouldBe(HttpStatusCode.Created);
        return await (await api.GetAsync($"/v1/admin/apps/{name}/doctor")).ShouldBeJsonAsync();
    }

    private object Entra(string clientId, string secret = Secret, string tenant = Tenant) => new
    {
        type = "entra",
        tenant,
        authorityHost = Server.EmulatorBaseAsync().GetAwaiter().GetResult() + "login.microsoftonline.com",
        clientId,
        clientSecret = secret,
    };

    private static JsonElement Check(JsonElement report, string name) => report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    [Fact]
    public async Task Doctor_SandboxApp_Passes()
    {
        using var api = Server.Client();
        var report = await (await api.GetAsync("/v1/admin/apps/sandbox/doctor")).ShouldBeJsonAsync();
        report.GetProperty("verdict").GetString().ShouldBe("pass", report.ToString());
    }

    [Fact]
    public async Task Doctor_SecretIdPastedInsteadOfValue_SaysSo()
    {
        var report = await DoctorAsync("doc-wrong-secret", id => Entra(id, secret: "Wr0ng~Secret.Value-That9Is8Not7Registered"));
        var check = Check(report, "credentials");
        check.GetProperty("status").GetString().ShouldBe("fail");
        check.GetProperty("message").GetString()!.ShouldContain("AADSTS7000215");
        check.GetProperty("fix").GetString()!.ShouldContain("secret *value*");
    }

    [Fact]
    public async Task Doctor_ExpiredSecret_SaysSo()
    {
        var report = await DoctorAsync("doc-expired", id => Entra(id), secretExpires: DateTimeOffset.UtcNow.AddDays(-3));
        var check = Check(report, "credentials");
        check.GetProperty("message").GetString()!.ShouldContain("AADSTS7000222");
        check.GetProperty("fix").GetString()!.ShouldContain("new client secret");
    }

    [Fact]
    public async Task Doctor_UnknownTenant_SaysSo()
    {
        var report = await DoctorAsync("doc-tenant", id => Entra(id, tenant: "0f0f0f0f-1111-4222-8333-444455556666"));
        Check(report, "credentials").GetProperty("message").GetString()!.ShouldContain("AADSTS90002");
    }

    [Fact]
    public async Task Doctor_RedirectUriNotRegistered_GivesTheExactUriToAdd()
    {
        var report = await DoctorAsync("doc-redirect", id => Entra(id), registerRedirect: false);
        var check = Check(report, "redirectUri");
        check.GetProperty("status").GetString().ShouldBe("fail");
        check.GetProperty("fix").GetString()!.ShouldContain(new Uri(Server.BaseUrl, "/connect/callback").ToString());
        Check(report, "credentials").GetProperty("status").GetString().ShouldBe("pass");
    }

    [Fact]
    public async Task Doctor_MultiTenantApp_SkipsCredentialsUnlessGivenATenant()
    {
        var report = await DoctorAsync("doc-multi", id => Entra(id, tenant: "organizations"));
        Check(report, "credentials").GetProperty("status").GetString().ShouldBe("skip");

        using var api = Server.Client();
        var withTenant = await (await api.GetAsync($"/v1/admin/apps/doc-multi/doctor?tenant={Tenant}")).ShouldBeJsonAsync();
        Check(withTenant, "credentials").GetProperty("status").GetString().ShouldBe("pass");
    }
}
