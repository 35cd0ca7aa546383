using System.Net;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Sandbox;

public sealed class SandboxStartupTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    [Fact]
    public async Task Sandbox_DetailsNameTheEmulatedOrganisationUsersAndAWorkingPat()
    {
        using var client = fixture.Server.Client();

        var sandbox = await (await client.GetAsync("/v1/sandbox")).ShouldBeJsonAsync();

        var orgUrl = sandbox.GetProperty("organizationUrl").GetString()!;
        orgUrl.ShouldBe(new Uri(fixture.Server.BaseUrl, "_emulator/dev.azure.com/fabrikam").ToString());
        sandbox.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("userPrincipalName").GetString()).ShouldContain("alice@fabrikam.onmicrosoft.com");

        // The PAT works against the emulated organisation over real HTTP.
        using var ado = new HttpClient();
        var pat = sandbox.GetProperty("pat").GetString()!;
        ado.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(":" + pat)));
        var projects = await (await ado.GetAsync(orgUrl + "/_apis/projects?api-version=7.1")).ShouldBeJsonAsync();
        projects.GetProperty("value").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ShouldContain("Fabrikam-Fiber-Git");
    }

    [Fact]
    public async Task Sandbox_EmulatorAdminApi_NeedsItsToken()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Server.BaseUrl };
        var response = await anonymous.GetAsync("/_emulator/_admin/counts");
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Sandbox_App_PointsAtTheEmulator()
    {
        using var client = fixture.Server.Client();

        var app = await (await client.GetAsync("/v1/admin/apps/sandbox")).ShouldBeJsonAsync();

        app.GetProperty("type").GetString().ShouldBe("entra");
        app.GetProperty("status").GetString().ShouldBe("valid");
        app.GetProperty("authorityHost").GetString().ShouldBe(new Uri(fixture.Server.BaseUrl, "_emulator/login.microsoftonline.com").ToString());
    }

    [Fact]
    public async Task Restart_KeepsTheSameSandboxPatAndApiKeys()
    {
        var dataDir = AdoBridgeServer.NewDataDir();
        string pat;
        await using (var first = await AdoBridgeServer.StartAsync(dataDir: dataDir))
        {
            using var client = first.Client();
            pat = (await (await client.GetAsync("/v1/sandbox")).ShouldBeJsonAsync()).GetProperty("pat").GetString()!;
        }

        await using var second = await AdoBridgeServer.StartAsync(dataDir: dataDir);
        using var again = second.Client();
        (await (await again.GetAsync("/v1/sandbox")).ShouldBeJsonAsync()).GetProperty("pat").GetString().ShouldBe(pat);
    }
}
