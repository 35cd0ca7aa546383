using System.Net;
using System.Net.Http.Headers;
using AdoBridge.Emulator;

namespace AdoBridge.IntegrationTests.Emulator;

public sealed class DevOpsApiTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    private string Pat(params string[] scopes) => fx.State.CreatePat(EmulatorDefaults.AliceUpn, null, scopes);

    [Fact]
    public async Task ApiCallWithoutApiVersion_Is400VssVersionNotSpecified()
    {
        var response = await fx.Http.SendAsync(DevOps.Get($"{EmulatorDefaults.DevOpsHost}/fabrikam/_apis/projects", pat: Pat("vso.project")));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = await Json.ReadAsync(response);
        error.GetProperty("typeKey").GetString().ShouldBe("VssVersionNotSpecifiedException");
        error.GetProperty("$id").GetString().ShouldBe("1");
        error.GetProperty("eventId").GetInt32().ShouldBe(3000);
    }

    [Fact]
    public async Task ApiVersionInAcceptHeader_IsAccepted()
    {
        var request = DevOps.Get($"{EmulatorDefaults.DevOpsHost}/fabrikam/_apis/projects", pat: Pat("vso.project"));
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json;api-version=7.1"));

        (await fx.Http.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task BadCredential_Gets203SignInPage_ButWithFedAuthRedirectSuppressed_Gets401WithAuthorizationUri()
    {
        var page = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(), pat: "not-a-pat"));
        var suppressed = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(), pat: "not-a-pat", suppressRedirect: true));

        page.StatusCode.ShouldBe(HttpStatusCode.NonAuthoritativeInformation);
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        suppressed.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        suppressed.Headers.WwwAuthenticate.ToString().ShouldContain($"Bearer authorization_uri={fx.Host.BaseUrl}{EmulatorDefaults.LoginHost}/{EmulatorDefaults.TenantId}");
        (await Json.ReadAsync(suppressed)).GetProperty("typeKey").GetString().ShouldBe("UnauthorizedRequestException");
    }

    [Fact]
    public async Task PatWithoutTheNeededScope_Is401NamingTheScope()
    {
        var pat = Pat("vso.project");

        var profile = await fx.Http.SendAsync(DevOps.Get($"{EmulatorDefaults.VsspsAppHost}/_apis/profile/profiles/me?api-version=7.1", pat: pat));
        var projects = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(), pat: Pat("vso.profile")));

        profile.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Json.ReadAsync(profile)).GetProperty("message").GetString()!.ShouldContain("vso.profile");
        projects.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Json.ReadAsync(projects)).GetProperty("message").GetString()!.ShouldContain("vso.project");
    }

    [Fact]
    public async Task PatScopedToAnotherOrganization_Is401()
    {
        var pat = fx.State.CreatePat(EmulatorDefaults.AliceUpn, EmulatorDefaults.LabsOrganization, ["vso.project"]);

        (await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(), pat: pat))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(EmulatorDefaults.LabsOrganization), pat: pat))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task UserNotInTheOrganization_Is401TF400813()
    {
        var pat = fx.State.CreatePat(EmulatorDefaults.BobUpn, null, ["vso.project"]);

        var response = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(EmulatorDefaults.LabsOrganization), pat: pat));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Json.ReadAsync(response)).GetProperty("message").GetString().ShouldBe($"TF400813: The user '{EmulatorDefaults.BobId}' is not authorized to access this resource.");
    }

    [Fact]
    public async Task Projects_PagedWithTopAndContinuationToken_ReturnEveryProjectOnce()
    {
        var pat = Pat("vso.project");
        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var query = "api-version=7.1&$top=10" + (token is null ? string.Empty : $"&continuationToken={token}");
            var response = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(query: query), pat: pat));
            var body = await Json.OkAsync(response);
            names.AddRange(body.GetProperty("value").EnumerateArray().Select(p => p.GetProperty("name").GetString()!));
            token = response.Headers.TryGetValues("x-ms-continuationtoken", out var values) ? values.Single() : null;
            pages++;
        }
        while (token is not null);

        pages.ShouldBe(3);
        names.Count.ShouldBe(fx.State.FindOrganization(EmulatorDefaults.Organization)!.Projects.Count);
        names.ShouldBeUnique();
        names.ShouldContain(EmulatorDefaults.Project);
    }

    [Fact]
    public async Task Project_ByNameOrId_AndUnknownProjectIs404TF200016()
    {
        var pat = Pat("vso.project");
        var byName = await Json.OkAsync(await fx.Http.SendAsync(DevOps.Get($"{EmulatorDefaults.DevOpsHost}/fabrikam/_apis/projects/{EmulatorDefaults.Project}?api-version=7.1", pat: pat)));
        var id = byName.GetProperty("id").GetString();
        var byId = await Json.OkAsync(await fx.Http.SendAsync(DevOps.Get($"{EmulatorDefaults.DevOpsHost}/fabrikam/_apis/projects/{id}?api-version=7.1", pat: pat)));
        var missing = await fx.Http.SendAsync(DevOps.Get($"{EmulatorDefaults.DevOpsHost}/fabrikam/_apis/projects/Nope?api-version=7.1", pat: pat));

        byId.GetProperty("name").GetString().ShouldBe(EmulatorDefaults.Project);
        byId.GetProperty("defaultTeam").GetProperty("name").GetString().ShouldBe($"{EmulatorDefaults.Project} Team");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Json.ReadAsync(missing)).GetProperty("message").GetString()!.ShouldStartWith("TF200016");
    }

    [Fact]
    public async Task ProfileAndAccounts_ListTheOrganizationsOfTheCaller()
    {
        var pat = Pat("vso.profile");
        var profile = await Json.OkAsync(await fx.Http.SendAsync(DevOps.Get($"{EmulatorDefaults.VsspsAppHost}/_apis/profile/profiles/me?api-version=7.1", pat: pat)));
        var memberId = profile.GetProperty("id").GetString();

        var accounts = await Json.OkAsync(await fx.Http.SendAsync(DevOps.Get($"{EmulatorDefaults.VsspsAppHost}/_apis/accounts?memberId={memberId}&api-version=7.1", pat: pat)));

        memberId.ShouldBe(EmulatorDefaults.AliceId);
        accounts.GetProperty("value").EnumerateArray().Select(a => a.GetProperty("accountName").GetString())
            .ShouldBe([EmulatorDefaults.Organization, EmulatorDefaults.LabsOrganization], ignoreOrder: true);
    }

    [Fact]
    public async Task ConnectionData_OnBothHosts_NamesTheAuthenticatedUser()
    {
        var pat = Pat("vso.project");

        var tfs = await Json.OkAsync(await fx.Http.SendAsync(DevOps.Get($"{EmulatorDefaults.DevOpsHost}/fabrikam/_apis/connectionData?api-version=7.1-preview", pat: pat)));
        var sps = await Json.OkAsync(await fx.Http.SendAsync(DevOps.Get($"{EmulatorDefaults.VsspsHost}/fabrikam/_apis/connectionData?api-version=7.1-preview", pat: pat)));

        tfs.GetProperty("authenticatedUser").GetProperty("id").GetString().ShouldBe(EmulatorDefaults.AliceId);
        sps.GetProperty("instanceId").GetString().ShouldBe(EmulatorDefaults.OrganizationId);
    }

    [Fact]
    public async Task AnonymousRequestToOrganizationUrl_RevealsTheResourceTenant()
    {
        var response = await fx.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{EmulatorDefaults.DevOpsHost}/fabrikam"));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.GetValues("X-VSS-ResourceTenant").Single().ShouldBe(EmulatorDefaults.TenantId);
        response.Headers.WwwAuthenticate.ToString().ShouldContain(EmulatorDefaults.TenantId);
    }
}
