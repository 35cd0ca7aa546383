using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Storage;
using AdoBridge.Mcp;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using ModelContextProtocol.Client;

namespace AdoBridge.IntegrationTests.Mcp;

/// <summary>
/// Approvals the server enforces: under a policy that asks for them, a destructive call answers a pending result with an
/// approval id and link; the retry runs only once a person approved it, for the same caller, connection, tool and
/// arguments, before it expires, and only once. Nothing the client says lets it through.
/// </summary>
public sealed class McpApprovalTests(McpFixture fixture) : IClassFixture<McpFixture>
{
    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task ADestructiveCall_WaitsForApproval_ThenTheRetryRunsOnce_AndTheAuditRecordsTheApproval(string engine)
    {
        await using var server = await AdoBridgeServer.StartAsync(await StorageEngine.SettingsAsync(engine));
        using var owner = server.Client();
        var pat = (await server.DetailsAsync()).GetProperty("pat").GetString();
        var connection = (await (await owner.PostAsJsonAsync("/v1/connections", new { type = "pat", endUserId = "approval-user", organization = "fabrikam", pat }))
            .ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var key = await McpPolicyKey.CreateAsync(server, new { approveDestructive = true });
        await using var client = await McpFixture.ClientAsync(new Uri(server.BaseUrl, "/mcp"), McpFixture.Latest, null, key.Key);
        var workItem = await CreateWorkItemAsync(client, connection);
        var delete = Args(connection, new { workItemId = workItem });

        // The call does not run: it answers a pending result with the approval's id and link.
        var pending = (await client.CallToolAsync("delete_work_item", delete)).Problem("approval_pending");
        var id = pending.GetProperty("approvalId").GetString()!;
        id.ShouldStartWith("mcpa_");
        pending.GetProperty("approvalUrl").GetString().ShouldBe(new Uri(server.BaseUrl, "/console/mcp/approvals/" + id).AbsoluteUri);
        pending.GetProperty("approvalApiUrl").GetString().ShouldBe(new Uri(server.BaseUrl, "/v1/admin/mcp/approvals/" + id).AbsoluteUri);
        pending.GetProperty("retryable").GetBoolean().ShouldBeTrue();
        (await client.CallToolAsync("get_work_item", Args(connection, new { workItemId = workItem }))).Ok();

        // Retrying before a person decides changes nothing; the agent's key cannot decide (it is not an admin's).
        (await client.CallToolAsync("delete_work_item", With(delete, id))).Problem("approval_pending").GetProperty("approvalId").GetString().ShouldBe(id);
        using (var agentApi = server.Client(key.Key))
        {
            await (await agentApi.PostAsJsonAsync($"/v1/admin/mcp/approvals/{id}/approve", new { })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        }

        var listed = await (await owner.GetAsync("/v1/admin/mcp/approvals?status=pending")).ShouldBeJsonAsync();
        var shown = listed.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        shown.GetProperty("tool").GetString().ShouldBe("delete_work_item");
        shown.GetProperty("subject").GetString().ShouldBe(key.Subject);
        shown.GetProperty("arguments").GetProperty("workItemId").GetInt32().ShouldBe(workItem);

        var approved = await (await owner.PostAsJsonAsync($"/v1/admin/mcp/approvals/{id}/approve", new { reason = "agreed" })).ShouldBeJsonAsync();
        approved.GetProperty("status").GetString().ShouldBe("approved");
        approved.GetProperty("decidedBy").GetString().ShouldStartWith("key:");
        await (await owner.PostAsJsonAsync($"/v1/admin/mcp/approvals/{id}/deny", new { })).ShouldBeProblemAsync(HttpStatusCode.Conflict, "approval_not_pending");

        // The retry runs, once.
        (await client.CallToolAsync("delete_work_item", With(delete, id))).Ok();
        (await client.CallToolAsync("get_work_item", Args(connection, new { workItemId = workItem }))).Problem("azure_devops_error").GetProperty("azureStatus").GetInt32().ShouldBe(404);
        (await client.CallToolAsync("delete_work_item", With(delete, id))).Problem("approval_used");
        (await (await owner.GetAsync($"/v1/admin/mcp/approvals/{id}")).ShouldBeJsonAsync()).GetProperty("status").GetString().ShouldBe("used");

        var calls = (await (await owner.GetAsync($"/v1/mcp/calls?tool=delete_work_item&keyId={key.Id}")).ShouldBeJsonAsync()).GetProperty("items").EnumerateArray().ToList();
        calls.Select(c => c.GetProperty("outcome").GetString()).ShouldBe(["approval_pending", "approval_pending", "ok", "approval_used"]);
        calls.ShouldAllBe(c => c.GetProperty("approvalId").GetString() == id);
    }

    [Fact]
    public async Task ADeniedApproval_RefusesTheRetry_WithTheReason()
    {
        var (client, key, delete) = await AgentAsync();
        await using var _ = client;
        var id = (await client.CallToolAsync("delete_work_item", delete)).Problem("approval_pending").GetProperty("approvalId").GetString()!;
        using var owner = fixture.Server.Client();
        (await (await owner.PostAsJsonAsync($"/v1/admin/mcp/approvals/{id}/deny", new { reason = "keep it for the audit" })).ShouldBeJsonAsync())
            .GetProperty("status").GetString().ShouldBe("denied");

        var denied = (await client.CallToolAsync("delete_work_item", With(delete, id))).Problem("approval_denied");
        denied.GetProperty("detail").GetString()!.ShouldContain("keep it for the audit");
        (await client.CallToolAsync("get_work_item", fixture.Args(new { workItemId = WorkItemOf(delete) }))).Ok();
    }

    [Fact]
    public async Task AnApproval_IsBoundToItsArgumentsToolAndCaller()
    {
        var (client, key, delete) = await AgentAsync();
        await using var _ = client;
        var id = (await client.CallToolAsync("delete_work_item", delete)).Problem("approval_pending").GetProperty("approvalId").GetString()!;
        using var owner = fixture.Server.Client();
        (await owner.PostAsJsonAsync($"/v1/admin/mcp/approvals/{id}/approve", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Other arguments, another destructive tool, another caller with the same policy: none may use it.
        (await client.CallToolAsync("delete_work_item", With(fixture.Args(new { workItemId = 1 }), id))).Problem("approval_mismatch")
            .GetProperty("detail").GetString()!.ShouldContain("other arguments");
        (await client.CallToolAsync("update_work_item", With(fixture.Args(new { workItemId = WorkItemOf(delete), patch = Array.Empty<object>() }), id))).Problem("approval_mismatch")
            .GetProperty("detail").GetString()!.ShouldContain("delete_work_item");
        var other = await McpPolicyKey.CreateAsync(fixture.Server, new { approveDestructive = true });
        await using (var otherClient = await fixture.ClientAsync(apiKey: other.Key))
        {
            (await otherClient.CallToolAsync("delete_work_item", With(delete, id))).Problem("approval_mismatch");
        }

        // An approval id the server never gave, as a client's own "accept" would be.
        (await client.CallToolAsync("delete_work_item", With(delete, "mcpa_madeupbytheclient"))).Problem("approval_not_found");

        // None of those used it up: the approved call still runs.
        (await client.CallToolAsync("delete_work_item", With(delete, id))).Ok();
    }

    [Fact]
    public async Task AnExpiredApproval_CanNeitherBeDecidedNorUsed()
    {
        var (client, key, delete) = await AgentAsync();
        await using var _ = client;
        // The same call twice without `approval`: two requests, one left waiting, one approved.
        var waiting = (await client.CallToolAsync("delete_work_item", delete)).Problem("approval_pending").GetProperty("approvalId").GetString()!;
        var approved = (await client.CallToolAsync("delete_work_item", delete)).Problem("approval_pending").GetProperty("approvalId").GetString()!;
        approved.ShouldNotBe(waiting);
        using var owner = fixture.Server.Client();
        (await owner.PostAsJsonAsync($"/v1/admin/mcp/approvals/{approved}/approve", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await ExpireAsync(TimeSpan.FromMinutes(1), waiting, approved);

        await (await owner.PostAsJsonAsync($"/v1/admin/mcp/approvals/{waiting}/approve", new { })).ShouldBeProblemAsync(HttpStatusCode.Conflict, "approval_expired");
        (await client.CallToolAsync("delete_work_item", With(delete, approved))).Problem("approval_expired");
        (await (await owner.GetAsync($"/v1/admin/mcp/approvals/{approved}")).ShouldBeJsonAsync()).GetProperty("status").GetString().ShouldBe("expired");
        (await client.CallToolAsync("get_work_item", fixture.Args(new { workItemId = WorkItemOf(delete) }))).Ok();

        // Retention: an approval that expired longer ago than the audit is kept goes; a recent one stays.
        await ExpireAsync(TimeSpan.FromDays(31), waiting);
        await fixture.Server.Service<McpCallRetention>().RunOnceAsync(CancellationToken.None);
        await (await owner.GetAsync($"/v1/admin/mcp/approvals/{waiting}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "approval_not_found");
        (await owner.GetAsync($"/v1/admin/mcp/approvals/{approved}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TheKeyThatAsked_CannotApproveItsOwnCall()
    {
        var admin = await McpPolicyKey.CreateAsync(fixture.Server, new { approveDestructive = true }, role: "admin");
        await using var client = await fixture.ClientAsync(apiKey: admin.Key);
        var id = (await client.CallToolAsync("delete_work_item", fixture.Args(new { workItemId = 1 }))).Problem("approval_pending").GetProperty("approvalId").GetString()!;

        using var self = fixture.Server.Client(admin.Key);
        var refused = await (await self.PostAsJsonAsync($"/v1/admin/mcp/approvals/{id}/approve", new { })).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "approval_by_requester");
        refused.GetProperty("detail").GetString()!.ShouldContain("another admin key");
    }

    [Fact]
    public async Task WritesThatAreNotDestructive_AndPoliciesWithoutApprovals_RunAtOnce()
    {
        var (client, _, delete) = await AgentAsync();
        await using (client)
        {
            (await client.CallToolAsync("add_work_item_comment", fixture.Args(new { workItemId = WorkItemOf(delete), text = "no approval needed" }))).Ok();
        }

        var free = await McpPolicyKey.CreateAsync(fixture.Server, new { approveDestructive = false });
        await using var freeClient = await fixture.ClientAsync(apiKey: free.Key);
        (await freeClient.CallToolAsync("delete_work_item", delete)).Ok();
    }

    private async Task<(McpClient Client, McpPolicyKey Key, Dictionary<string, object?> Delete)> AgentAsync()
    {
        var key = await McpPolicyKey.CreateAsync(fixture.Server, new { approveDestructive = true });
        var client = await fixture.ClientAsync(apiKey: key.Key);
        var id = await CreateWorkItemAsync(client, fixture.Alice);
        return (client, key, fixture.Args(new { workItemId = id }));
    }

    private static async Task<int> CreateWorkItemAsync(McpClient client, string connection)
        => (await client.CallToolAsync("create_work_item", Args(connection, new { type = "Task", fields = new Dictionary<string, string> { ["System.Title"] = "to be deleted " + Guid.NewGuid() } })))
            .Ok().GetProperty("id").GetInt32();

    private static Dictionary<string, object?> Args(string connection, object more)
    {
        var args = new Dictionary<string, object?> { ["connection"] = connection, ["organization"] = "fabrikam", ["project"] = McpFixture.Project };
        foreach (var p in JsonSerializer.SerializeToElement(more).EnumerateObject())
        {
            args[p.Name] = p.Value;
        }

        return args;
    }

    private static Dictionary<string, object?> With(Dictionary<string, object?> args, string approval) => new(args) { ["approval"] = approval };

    private static int WorkItemOf(Dictionary<string, object?> args) => ((JsonElement)args["workItemId"]!).GetInt32();

    /// <summary>Moves the approvals' time past: the store is real, only their expiry is set back.</summary>
    private async Task ExpireAsync(TimeSpan ago, params string[] ids)
    {
        var contexts = fixture.Server.Service<IDbContextFactory<AdoBridgeDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        foreach (var row in await db.McpApprovals.Where(a => ids.Contains(a.Id)).ToListAsync())
        {
            row.ExpiresAt = DateTimeOffset.UtcNow - ago;
        }

        await db.SaveChangesAsync();
    }
}
