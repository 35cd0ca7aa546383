using System.Net;
using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Actions;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Mcp;

/// <summary>
/// One /mcp endpoint and one key reach several Azure DevOps Services organisations and an Azure DevOps Server collection
/// (the emulator on its own port answering a collection URL), chosen per call, and a policy names the collection as it
/// names an organisation.
/// </summary>
public sealed class McpServerCollectionTests : IAsyncLifetime
{
    private ServerCollection collection = null!;
    private AdoBridgeServer server = null!;
    private string serverConnection = string.Empty;
    private string alice = string.Empty;

    public async Task InitializeAsync()
    {
        collection = await ServerCollection.StartAsync();
        server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?>
        {
            ["AdoBridge:Sandbox"] = "on",
            ["AdoBridge:EmulatorUrl"] = collection.BaseUrl.ToString(),
            ["AdoBridge:EmulatorAdminToken"] = ServerCollection.AdminToken,
            ["AdoBridge:RateLimits:McpRequestsPerMinute"] = "0",
        });
        using var api = server.Client();
        await (await api.PutAsJsonAsync("/v1/admin/apps/tfs", new { type = "pat", displayName = "Contoso TFS", azureDevOps = new { serverUrl = collection.CollectionUrl } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var pat = (await server.DetailsAsync()).GetProperty("pat").GetString();
        serverConnection = (await (await api.PostAsJsonAsync("/v1/connections", new { type = "pat", endUserId = "server-user", organization = collection.CollectionUrl, pat, app = "tfs" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        alice = await server.ConnectWithMicrosoftAsync("mcp-multi-alice", organizations: ["fabrikam", "fabrikam-labs"]);
    }

    [Fact]
    public async Task OneEndpoint_ServesSeveralOrganisationsAndAServerCollection_AndAPolicyNamesTheCollection()
    {
        var key = await McpPolicyKey.CreateAsync(server, new { organizations = new[] { "fabrikam", "DefaultCollection" } });
        await using var client = await McpFixture.ClientAsync(new Uri(server.BaseUrl, "/mcp"), McpFixture.Latest, null, key.Key);

        var collectionOrgs = (await client.CallToolAsync("list_organizations", new Dictionary<string, object?> { ["connection"] = serverConnection })).Ok();
        collectionOrgs.GetProperty("items").EnumerateArray().ShouldHaveSingleItem().GetProperty("name").GetString().ShouldBe("DefaultCollection");

        var before = collection.CollectionRequests;
        var repos = (await client.CallToolAsync("list_repositories", new Dictionary<string, object?>
        {
            ["connection"] = serverConnection, ["organization"] = "DefaultCollection", ["project"] = McpFixture.Project,
        })).Ok();
        repos.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ShouldContain(McpFixture.Repository);
        collection.CollectionRequests.ShouldBeGreaterThan(before);

        var services = (await client.CallToolAsync("list_projects", new Dictionary<string, object?> { ["connection"] = alice, ["organization"] = "fabrikam" })).Ok();
        services.GetProperty("items").GetArrayLength().ShouldBeGreaterThan(0);

        // fabrikam-labs is the connection's, but not the policy's.
        (await client.CallToolAsync("list_projects", new Dictionary<string, object?> { ["connection"] = alice, ["organization"] = "fabrikam-labs" }))
            .Problem("organization_not_allowed_by_policy");

        // Without the policy the same key reaches it.
        using var owner = server.Client();
        (await owner.DeleteAsync($"/v1/admin/mcp/policies/{key.Subject}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await client.CallToolAsync("list_projects", new Dictionary<string, object?> { ["connection"] = alice, ["organization"] = "fabrikam-labs" })).Ok();
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await collection.DisposeAsync();
    }
}
