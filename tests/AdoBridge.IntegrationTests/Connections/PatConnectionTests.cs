using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Connections;

public sealed class PatConnectionTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private AdoBridgeServer Server => fixture.Server;

    private async Task<string> NewPatAsync(string[] scopes, string? organization = null, string upn = "alice@fabrikam.onmicrosoft.com")
    {
        using var admin = await Server.EmulatorAdminAsync();
        var created = await (await admin.PostAsJsonAsync("pats", new { userPrincipalName = upn, scopes, organization })).ShouldBeJsonAsync(HttpStatusCode.Created);
        return created.GetProperty("value").GetString()!;
    }

    [Theory]
    [InlineData("fabrikam")]
    [InlineData("https://dev.azure.com/fabrikam/Fabrikam-Fiber-Git/_git/Fabrikam-Fiber-Git")]
    [InlineData("https://fabrikam.visualstudio.com/DefaultCollection")]
    public async Task CreatePat_ThroughApi_NormalisesTheOrganisation(string organization)
    {
        var pat = await NewPatAsync(["vso.project", "vso.code"]);
        using var api = Server.Client();

        var created = await (await api.PostAsJsonAsync("/v1/connections", new { type = "pat", endUserId = "pat-user", organization, pat })).ShouldBeJsonAsync(HttpStatusCode.Created);

        created.GetProperty("authType").GetString().ShouldBe("pat");
        created.GetProperty("organizations")[0].GetString().ShouldBe("fabrikam");
        created.GetProperty("identity").GetProperty("displayName").GetString()!.ShouldContain("Alice");
        var token = await (await api.PostAsync($"/v1/connections/{created.GetProperty("id").GetString()}/access-token", null)).ShouldBeJsonAsync();
        token.GetProperty("tokenType").GetString().ShouldBe("pat");
        token.GetProperty("accessToken").GetString().ShouldBe(pat);
    }

    [Fact]
    public async Task CreatePat_ForAnotherOrganisation_IsRefusedBeforeSaving()
    {
        var pat = await NewPatAsync(["vso.project"], organization: "fabrikam-labs");
        using var api = Server.Client();

        var problem = await (await api.PostAsJsonAsync("/v1/connections", new { type = "pat", endUserId = "wrong-org", organization = "fabrikam", pat }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "pat_wrong_organization");

        problem.GetProperty("detail").GetString()!.ShouldContain("fabrikam");
        problem.ToString().ShouldNotContain(pat);
        (await api.GetStringAsync("/v1/connections?endUserId=wrong-org")).ShouldContain("\"items\":[]");
    }

    [Fact]
    public async Task CreatePat_Garbage_IsRefused()
    {
        using var api = Server.Client();
        await (await api.PostAsJsonAsync("/v1/connections", new { type = "pat", endUserId = "x", organization = "fabrikam", pat = "notarealtoken0123456789abcdefghijklmnopqrstuv" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "pat_rejected");
    }

    [Fact]
    public async Task CreatePat_MissingScope_SaysWhichScope()
    {
        var pat = await NewPatAsync(["vso.code"]);
        using var api = Server.Client();

        var problem = await (await api.PostAsJsonAsync("/v1/connections", new { type = "pat", endUserId = "x", organization = "fabrikam", pat }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "pat_missing_scope");

        problem.GetProperty("detail").GetString()!.ShouldContain("vso.project");
    }

    [Theory]
    [InlineData("", "invalid_organization")]
    [InlineData("not an org!", "invalid_organization")]
    [InlineData("https://ado.contoso.example/tfs/DefaultCollection", "server_not_configured")]
    public async Task CreatePat_BadOrganisation_Is400(string organization, string code)
    {
        using var api = Server.Client();
        await (await api.PostAsJsonAsync("/v1/connections", new { type = "pat", endUserId = "x", organization, pat = "abc" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task ConnectPage_Pat_CreatesConnectionAndReturns()
    {
        var pat = await NewPatAsync(["vso.project", "vso.work"]);
        using var api = Server.Client();
        var returnUrl = new Uri(Server.BaseUrl, "/product/back").ToString();
        var url = (await api.CreateConnectSessionAsync(new { endUserId = "page-pat", returnUrl })).GetProperty("url").GetString()!;
        using var user = new BrowserlessUser();
        await user.GetAsync(url);

        await user.PostFormAsync(url + "/pat", [new("organization", "https://dev.azure.com/fabrikam"), new("pat", pat)]);

        var back = user.Location(url);
        back.ShouldStartWith(returnUrl + "?connectionId=conn_");
    }

    [Fact]
    public async Task ConnectPage_PatWrongOrganisation_ShowsTheProblemInWords()
    {
        var pat = await NewPatAsync(["vso.project"], organization: "fabrikam-labs");
        using var api = Server.Client();
        var url = (await api.CreateConnectSessionAsync(new { endUserId = "page-pat-wrong" })).GetProperty("url").GetString()!;
        using var user = new BrowserlessUser();
        await user.GetAsync(url);

        await user.PostFormAsync(url + "/pat", [new("organization", "fabrikam"), new("pat", pat)]);

        user.Last!.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        user.LastBody.ShouldContain("does not give access to organisation");
        user.LastBody.ShouldNotContain(pat);
    }
}
