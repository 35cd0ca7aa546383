using System.Net;
using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Actions;

/// <summary>Actions on an Azure DevOps Server connection go to its collection URL (the emulator stands in for the Server).</summary>
public sealed class ServerConnectionActionsTests : IAsyncLifetime
{
    private ServerCollection collection = null!;
    private AdoBridgeServer server = null!;
    private string connectionId = string.Empty;

    private string Collection => $"/v1/connections/{connectionId}/organizations/DefaultCollection";

    private string Repo => $"{Collection}/projects/{ActionsFixture.Project}/repositories/{ActionsFixture.Repository}";

    public async Task InitializeAsync()
    {
        collection = await ServerCollection.StartAsync();
        server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?>
        {
            ["AdoBridge:Sandbox"] = "on",
            ["AdoBridge:EmulatorUrl"] = collection.BaseUrl.ToString(),
            ["AdoBridge:EmulatorAdminToken"] = ServerCollection.AdminToken,
        });
        using var api = server.Client();
        await (await api.PutAsJsonAsync("/v1/admin/apps/tfs", new { type = "pat", displayName = "Contoso TFS", azureDevOps = new { serverUrl = collection.CollectionUrl } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var pat = (await server.DetailsAsync()).GetProperty("pat").GetString();
        var created = await (await api.PostAsJsonAsync("/v1/connections", new { type = "pat", endUserId = "server-user", organization = collection.CollectionUrl, pat, app = "tfs" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        connectionId = created.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Organizations_NameTheCollection()
    {
        using var api = server.Client();

        var body = await (await api.GetAsync($"/v1/connections/{connectionId}/organizations")).ShouldBeJsonAsync();

        var org = body.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        org.GetProperty("name").GetString().ShouldBe("DefaultCollection");
        org.GetProperty("url").GetString().ShouldBe(collection.CollectionUrl);
    }

    [Fact]
    public async Task ReadsAndWrites_GoToTheCollectionUrl()
    {
        using var api = server.Client();
        var before = collection.CollectionRequests;

        var repos = await (await api.GetAsync($"{Collection}/projects/{ActionsFixture.Project}/repositories")).ShouldBeJsonAsync();
        var vote = await (await api.PutAsJsonAsync($"{Repo}/pull-requests/2/vote", new { vote = "approve" })).ShouldBeJsonAsync();
        var run = await (await api.PostAsJsonAsync($"{Collection}/projects/{ActionsFixture.Project}/pipelines/1/runs", new { branch = "main" })).ShouldBeJsonAsync(HttpStatusCode.Created);

        repos.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ShouldContain(ActionsFixture.Repository);
        vote.GetProperty("id").GetString().ShouldBe(ActionsFixture.AliceId);
        vote.GetProperty("vote").GetInt32().ShouldBe(10);
        run.GetProperty("state").GetString().ShouldBe("inProgress");
        (collection.CollectionRequests - before).ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task AnOlderServer_IsAskedForTheVersionItSupports_AfterOneRefusal()
    {
        await SetLatestApiVersionAsync("6.0");
        using var api = server.Client();
        var seen = collection.ApiVersions.Count;

        var repos = await (await api.GetAsync($"{Collection}/projects/{ActionsFixture.Project}/repositories")).ShouldBeJsonAsync();
        var created = await (await api.PostAsJsonAsync($"{Collection}/projects/{ActionsFixture.Project}/work-items",
            new { type = "Task", fields = new Dictionary<string, object> { ["System.Title"] = "Made on Server 2020" } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt32();
        await (await api.PostAsJsonAsync($"{Collection}/projects/{ActionsFixture.Project}/work-items/{id}/comments", new { text = "A preview API too." }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);

        repos.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ShouldContain(ActionsFixture.Repository);
        // Refused once at 7.1 (nothing done), then 6.0 for everything after; the preview API at 6.0-preview.
        collection.ApiVersions.Skip(seen).ShouldBe(["7.1", "6.0", "6.0", "6.0-preview"]);
    }

    [Fact]
    public async Task ConnectingToAnOlderServer_Works_AndTeachesTheActionsItsVersion()
    {
        await SetLatestApiVersionAsync("6.0");
        using var api = server.Client();
        var pat = (await server.DetailsAsync()).GetProperty("pat").GetString();
        var seen = collection.ApiVersions.Count;

        var created = await (await api.PostAsJsonAsync("/v1/connections", new { type = "pat", endUserId = "server-2020-user", organization = collection.CollectionUrl, pat, app = "tfs" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        await (await api.GetAsync($"/v1/connections/{id}/organizations/DefaultCollection/projects")).ShouldBeJsonAsync();

        // connectionData refused at 7.1-preview and asked again at 6.0-preview; then projects (the check and the action) at 6.0.
        collection.ApiVersions.Skip(seen).ShouldBe(["7.1-preview", "6.0-preview", "6.0", "6.0"]);
    }

    [Fact]
    public async Task ALearntVersion_IsLoweredAgain_WhenTheServerSaysSo()
    {
        await SetLatestApiVersionAsync("6.0");
        using var api = server.Client();

        using var response = await api.GetAsync($"{Collection}/projects/{ActionsFixture.Project}/repositories");
        await response.ShouldBeJsonAsync();
        await SetLatestApiVersionAsync("5.0");
        var seen = collection.ApiVersions.Count;
        using var second = await api.GetAsync($"{Collection}/projects/{ActionsFixture.Project}/repositories");

        await second.ShouldBeJsonAsync();
        collection.ApiVersions.Skip(seen).ShouldBe(["6.0", "5.0"]);
    }

    [Theory]
    [InlineData("6.0.1")]
    [InlineData("six")]
    [InlineData("0.9")]
    public async Task TheEmulator_RefusesACeilingItCannotRead(string latest)
    {
        using var admin = collection.Admin();

        using var response = await admin.PutAsJsonAsync("organizations/fabrikam/api-version", new { latest });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("is not a REST API version like 6.0");
    }

    private async Task SetLatestApiVersionAsync(string latest)
    {
        using var admin = collection.Admin();
        (await admin.PutAsJsonAsync("organizations/fabrikam/api-version", new { latest })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task AServicesOrganisationName_IsNotInTheConnection()
    {
        using var api = server.Client();

        using var response = await api.GetAsync($"/v1/connections/{connectionId}/organizations/fabrikam/projects");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "organization_not_in_connection");
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await collection.DisposeAsync();
    }
}
