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
