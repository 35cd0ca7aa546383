using System.Net;
using AdoBridge.Emulator;

namespace AdoBridge.IntegrationTests.Emulator;

/// <summary>What Microsoft's clients do first: connectionData without api-version, OPTIONS on the identity and profile
/// services, and api-version rules as Azure DevOps applies them.</summary>
public sealed class ClientDiscoveryTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task ConnectionData_AnswersWithoutApiVersion_LikeTheNodeAndDotNetClientsCallIt()
    {
        var ado = AdoTestClient.For(fx);

        var plain = await ado.GetAsync($"{ado.OrgPath}/_apis/connectionData?api-version=");
        var vssps = await ado.GetAsync($"{EmulatorDefaults.VsspsHost}/fabrikam/_apis/connectionData?api-version=");
        var app = await ado.GetAsync($"{EmulatorDefaults.VsspsAppHost}/_apis/connectionData?api-version=");
        var invalid = await ado.GetAsync($"{ado.OrgPath}/_apis/connectionData?api-version=seven");

        plain.ShouldBe(HttpStatusCode.OK)["authenticatedUser"].GetProperty("id").GetString().ShouldBe(EmulatorDefaults.AliceId);
        plain["locationServiceData"].TryGetProperty("serviceDefinitions", out _).ShouldBeFalse();
        vssps.ShouldBe(HttpStatusCode.OK)["locationServiceData"].GetProperty("serviceOwner").GetString().ShouldBe("951917ac-a960-4999-8464-e3f0aa25b381");
        app.ShouldBe(HttpStatusCode.OK)["authenticatedUser"].GetProperty("providerDisplayName").GetString().ShouldBe("Alice Fabrikam");
        invalid.ShouldBe(HttpStatusCode.BadRequest)["typeKey"].GetString().ShouldBe("VssInvalidApiVersionException");
    }

    [Theory]
    [InlineData("1")]
    [InlineData("IncludeServices")]
    public async Task ConnectionData_WithIncludeServices_ListsEveryServiceDefinition(string connectOptions)
    {
        var ado = AdoTestClient.For(fx);

        var data = (await ado.GetAsync($"{ado.OrgPath}/_apis/connectionData?connectOptions={connectOptions}&lastChangeId=-1&lastChangeId64=-1&api-version=")).ShouldBe(HttpStatusCode.OK);

        var location = data["locationServiceData"];
        location.GetProperty("accessMappings")[0].GetProperty("accessPoint").GetString().ShouldBe($"{fx.Host.BaseUrl}dev.azure.com/fabrikam/");
        var definitions = location.GetProperty("serviceDefinitions").EnumerateArray().ToArray();
        var prs = definitions.Single(d => d.GetProperty("identifier").GetString() == "9946fd70-0d40-406e-b686-b4744cbbcc37");
        prs.GetProperty("serviceType").GetString().ShouldBe("git");
        prs.GetProperty("relativePath").GetString().ShouldBe("/{project}/_apis/{area}/repositories/{repositoryId}/{resource}/{pullRequestId}");
        prs.GetProperty("releasedVersion").GetString().ShouldBe("7.1");
        var profileArea = definitions.Single(d => d.GetProperty("serviceType").GetString() == "LocationService2" && d.GetProperty("displayName").GetString() == "Profile");
        profileArea.GetProperty("locationMappings")[0].GetProperty("location").GetString().ShouldBe($"{fx.Host.BaseUrl}{EmulatorDefaults.VsspsAppHost}/");
    }

    [Fact]
    public async Task OptionsOnTheProfileAndIdentityServices_ListTheirOwnLocations()
    {
        var profile = await Json.OkAsync(await fx.Http.SendAsync(new HttpRequestMessage(HttpMethod.Options, $"{EmulatorDefaults.VsspsAppHost}/_apis/Profile")));
        var all = await Json.OkAsync(await fx.Http.SendAsync(new HttpRequestMessage(HttpMethod.Options, $"{EmulatorDefaults.VsspsAppHost}/_apis")));
        var ims = await Json.OkAsync(await fx.Http.SendAsync(new HttpRequestMessage(HttpMethod.Options, $"{EmulatorDefaults.VsspsHost}/fabrikam/_apis/IMS")));
        var unknown = await fx.Http.SendAsync(new HttpRequestMessage(HttpMethod.Options, $"{EmulatorDefaults.VsspsHost}/nowhere/_apis"));

        var profiles = profile.GetProperty("value").EnumerateArray().Single();
        profiles.GetProperty("id").GetString().ShouldBe("f83735dc-483f-4238-a291-d45f6080a9af");
        profiles.GetProperty("routeTemplate").GetString().ShouldBe("_apis/{area}/{resource}/{id}");
        all.GetProperty("value").EnumerateArray().Select(l => l.GetProperty("area").GetString()).ShouldBe(["Location", "Profile", "Account"], ignoreOrder: true);
        ims.GetProperty("value").EnumerateArray().Single().GetProperty("id").GetString().ShouldBe("28010c54-d0c0-4c89-a5b0-1c9e188b9fb7");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ApiVersionAboveTheReleasedOne_MustBeMarkedPreview()
    {
        var ado = AdoTestClient.For(fx);

        var released = await ado.GetAsync($"{ado.OrgPath}/_apis/projects?api-version=7.1");
        var preview = await ado.GetAsync($"{ado.OrgPath}/_apis/projects?api-version=7.2-preview.4");
        var unmarked = await ado.GetAsync($"{ado.OrgPath}/_apis/projects?api-version=7.2");

        released.ShouldBe(HttpStatusCode.OK);
        preview.ShouldBe(HttpStatusCode.OK);
        unmarked.ShouldBe(HttpStatusCode.BadRequest)["typeKey"].GetString().ShouldBe("VssInvalidPreviewVersionException");
        unmarked.Message.ShouldBe("The requested version \"7.2\" of the resource is under preview. The -preview flag must be supplied in the api-version for such requests. For example: \"7.2-preview\"");
    }

    [Fact]
    public async Task IdentitySearch_FindsOrganisationMembersByNameOrMail()
    {
        var ado = AdoTestClient.For(fx);
        var vssps = $"{EmulatorDefaults.VsspsHost}/fabrikam/_apis/identities";

        var general = (await ado.GetAsync($"{vssps}?searchFilter=General&filterValue=bob&queryMembership=None")).ShouldBe(HttpStatusCode.OK);
        var mail = (await ado.GetAsync($"{vssps}?searchFilter=MailAddress&filterValue={Uri.EscapeDataString(EmulatorDefaults.AliceUpn)}")).ShouldBe(HttpStatusCode.OK);
        var byId = (await ado.GetAsync($"{vssps}?identityIds={EmulatorDefaults.BobId},{EmulatorDefaults.OutsiderId}")).ShouldBe(HttpStatusCode.OK);
        var outsider = (await ado.GetAsync($"{vssps}?searchFilter=General&filterValue=dave")).ShouldBe(HttpStatusCode.OK);
        var bySubject = (await ado.GetAsync($"{vssps}?subjectDescriptors={Uri.EscapeDataString(general["value"][0].GetProperty("subjectDescriptor").GetString()!)},aad.bm9ib2R5&queryMembership=None")).ShouldBe(HttpStatusCode.OK);
        var badFilter = await ado.GetAsync($"{vssps}?searchFilter=Nickname&filterValue=bob");
        var noScope = await new AdoTestClient(fx.Http, fx.State.CreatePat(EmulatorDefaults.AliceUpn, null, ["vso.code"])).GetAsync($"{vssps}?searchFilter=General&filterValue=bob");

        var bob = general["value"].EnumerateArray().Single();
        bob.GetProperty("id").GetString().ShouldBe(EmulatorDefaults.BobId);
        bob.GetProperty("providerDisplayName").GetString().ShouldBe("Bob Fabrikam");
        bob.GetProperty("properties").GetProperty("Mail").GetProperty("$value").GetString().ShouldBe(EmulatorDefaults.BobUpn);
        bob.GetProperty("descriptor").GetString().ShouldBe($"Microsoft.IdentityModel.Claims.ClaimsIdentity;{EmulatorDefaults.TenantId}\\{EmulatorDefaults.BobUpn}");
        mail["value"].EnumerateArray().Single().GetProperty("id").GetString().ShouldBe(EmulatorDefaults.AliceId);
        byId["count"].GetInt32().ShouldBe(1);
        bySubject["value"].EnumerateArray().Single().GetProperty("id").GetString().ShouldBe(EmulatorDefaults.BobId);
        outsider["count"].GetInt32().ShouldBe(0);
        badFilter.ShouldBe(HttpStatusCode.BadRequest);
        noScope.Status.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
