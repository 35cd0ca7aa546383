using System.Net;
using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;
using ModelContextProtocol;

namespace AdoBridge.IntegrationTests.Mcp;

/// <summary>
/// The operator's policy per API key, enforced by the server: a tool outside it is absent from tools/list and refused on
/// tools/call with a tool error naming the policy; organisations and projects outside it are refused per call; the
/// X-MCP-* headers narrow it and never widen it.
/// </summary>
public sealed class McpPolicyTests(McpFixture fixture) : IClassFixture<McpFixture>
{
    [Theory]
    [InlineData(McpFixture.Latest)]
    [InlineData(McpFixture.Initialize)]
    public async Task Toolsets_ListOnlyThoseAndCore_AndACallOutsideIsAToolErrorNamingThePolicy(string revision)
    {
        var key = await McpPolicyKey.CreateAsync(fixture.Server, new { toolsets = new[] { "wit" } });
        await using var client = await fixture.ClientAsync(revision, apiKey: key.Key);

        var names = (await client.ListToolsAsync()).Select(t => t.Name).ToList();
        names.ShouldContain("get_work_item");
        names.ShouldContain("list_organizations");
        names.ShouldNotContain("list_pull_requests");
        names.ShouldNotContain("run_pipeline");

        (await client.CallToolAsync("get_work_item", fixture.Args(new { workItemId = 1 }))).Ok();
        var refused = (await client.CallToolAsync("list_pull_requests", fixture.Args())).Problem("tool_not_allowed_by_policy");
        refused.GetProperty("policy").GetString().ShouldBe(key.Subject);
        refused.GetProperty("status").GetInt32().ShouldBe(403);
        refused.GetProperty("detail").GetString()!.ShouldContain(key.Subject);
        refused.GetProperty("detail").GetString()!.ShouldContain("work_items");
        refused.GetProperty("retryable").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task ReadOnly_HidesEveryWrite_AndRefusesOneBeforeItReachesAzureDevOps()
    {
        var key = await McpPolicyKey.CreateAsync(fixture.Server, new { readOnly = true });
        await using var client = await fixture.ClientAsync(apiKey: key.Key);

        var tools = await client.ListToolsAsync();
        tools.Count.ShouldBeGreaterThan(20);
        tools.ShouldAllBe(t => t.ProtocolTool.Annotations!.ReadOnlyHint == true);

        (await client.CallToolAsync("delete_work_item", fixture.Args(new { workItemId = 1 }))).Problem("tool_not_allowed_by_policy")
            .GetProperty("detail").GetString()!.ShouldContain("read-only");
        (await client.CallToolAsync("get_work_item", fixture.Args(new { workItemId = 1 }))).Ok().GetProperty("id").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Headers_NarrowThePolicy_AndNeverWidenIt()
    {
        var key = await McpPolicyKey.CreateAsync(fixture.Server, new { toolsets = new[] { "work_items" } });

        // Asking for another toolset, or naming a tool outside the policy, adds nothing.
        await using (var wider = await fixture.ClientAsync(headers: new Dictionary<string, string> { ["X-MCP-Toolsets"] = "pull_requests", ["X-MCP-Tools"] = "list_pull_requests,get_work_item" }, apiKey: key.Key))
        {
            var names = (await wider.ListToolsAsync()).Select(t => t.Name).ToList();
            names.ShouldContain("get_work_item");
            names.ShouldContain("list_projects");
            names.ShouldNotContain("list_pull_requests");
            names.ShouldNotContain("get_pull_request");
            names.ShouldNotContain("create_work_item");
            (await wider.CallToolAsync("list_pull_requests", fixture.Args())).Problem("tool_not_allowed_by_policy");
        }

        // X-MCP-Readonly narrows what the policy leaves.
        await using var narrower = await fixture.ClientAsync(headers: new Dictionary<string, string> { ["X-MCP-Readonly"] = "true" }, apiKey: key.Key);
        var readOnly = (await narrower.ListToolsAsync()).Select(t => t.Name).ToList();
        readOnly.ShouldContain("get_work_item");
        readOnly.ShouldNotContain("create_work_item");
        readOnly.ShouldNotContain("list_pull_requests");
        var refused = await Should.ThrowAsync<McpProtocolException>(async () => await narrower.CallToolAsync("create_work_item", fixture.Args(new { type = "Bug", fields = new { } })));
        refused.Message.ShouldContain("X-MCP-Readonly");
    }

    [Fact]
    public async Task OrganizationsAndProjects_OutsideThePolicy_AreRefusedPerCall()
    {
        var key = await McpPolicyKey.CreateAsync(fixture.Server, new { organizations = new[] { "fabrikam" }, projects = new[] { "fabrikam/" + McpFixture.Project } });
        await using var client = await fixture.ClientAsync(apiKey: key.Key);

        (await client.CallToolAsync("list_repositories", fixture.Args())).Ok();
        (await client.CallToolAsync("list_projects", fixture.Args(organization: "FABRIKAM"))).Ok();

        var org = (await client.CallToolAsync("list_projects", fixture.Args(organization: "fabrikam-labs"))).Problem("organization_not_allowed_by_policy");
        org.GetProperty("detail").GetString()!.ShouldContain("fabrikam-labs");
        org.GetProperty("policy").GetString().ShouldBe(key.Subject);
        (await client.CallToolAsync("list_repositories", fixture.Args(new { project = "Another-Project" }))).Problem("project_not_allowed_by_policy")
            .GetProperty("detail").GetString()!.ShouldContain("Another-Project");

        // A tool that names no project could reach any of them: it is left out of the list and refused.
        (await client.ListToolsAsync()).Select(t => t.Name).ShouldNotContain("get_work_item");
        (await client.CallToolAsync("get_work_item", fixture.Args(new { workItemId = 1 }))).Problem("tool_not_allowed_by_policy");

        // The refusals are in the audit, with the policy's code.
        using var api = fixture.Server.Client();
        var calls = await (await api.GetAsync($"/v1/mcp/calls?keyId={key.Id}&outcome=organization_not_allowed_by_policy")).ShouldBeJsonAsync();
        calls.GetProperty("items").EnumerateArray().ShouldHaveSingleItem().GetProperty("organization").GetString().ShouldBe("fabrikam-labs");
    }

    [Fact]
    public async Task APolicy_IsSetReadReplacedAndDeleted_ThroughTheAdminApi()
    {
        var key = await McpPolicyKey.CreateAsync(fixture.Server, null);
        using var admin = fixture.Server.Client();
        var path = $"/v1/admin/mcp/policies/{key.Subject}";

        await (await admin.GetAsync(path)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "mcp_policy_not_found");
        var created = await (await admin.PutAsJsonAsync(path, new { toolsets = new[] { "wit", "repos" }, approveDestructive = true })).ShouldBeJsonAsync(HttpStatusCode.Created);
        created.GetProperty("toolsets").EnumerateArray().Select(t => t.GetString()).ShouldBe(["work_items", "repos"]);
        created.GetProperty("approveDestructive").GetBoolean().ShouldBeTrue();
        created.GetProperty("organizations").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);

        var replaced = await (await admin.PutAsJsonAsync(path, new { readOnly = true })).ShouldBeJsonAsync(HttpStatusCode.OK);
        replaced.GetProperty("readOnly").GetBoolean().ShouldBeTrue();
        replaced.GetProperty("toolsets").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        (await (await admin.GetAsync("/v1/admin/mcp/policies")).ShouldBeJsonAsync()).GetProperty("items").EnumerateArray()
            .Select(p => p.GetProperty("subject").GetString()).ShouldContain(key.Subject);

        // The change applies to the next request at once.
        await using (var client = await fixture.ClientAsync(apiKey: key.Key))
        {
            (await client.ListToolsAsync()).ShouldAllBe(t => t.ProtocolTool.Annotations!.ReadOnlyHint == true);
        }

        (await admin.DeleteAsync(path)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await admin.DeleteAsync(path)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "mcp_policy_not_found");
        await using var freed = await fixture.ClientAsync(apiKey: key.Key);
        (await freed.ListToolsAsync()).Count.ShouldBe(45);
    }

    [Theory]
    [InlineData("key:x", """{"toolsets": ["repos"]}""", HttpStatusCode.NotFound, "api_key_not_found", "GET /v1/admin/api-keys")]
    [InlineData("user:alice", """{"toolsets": ["repos"]}""", HttpStatusCode.BadRequest, "invalid_mcp_policy_subject", "key:<API key id>")]
    [InlineData("{key}", """{"toolsets": ["repos", "bogus"]}""", HttpStatusCode.BadRequest, "invalid_mcp_policy", "'bogus'")]
    [InlineData("{key}", """{"organizations": []}""", HttpStatusCode.BadRequest, "invalid_mcp_policy", "leave it out to allow all")]
    [InlineData("{key}", """{"organizations": ["https://dev.azure.com/fabrikam"]}""", HttpStatusCode.BadRequest, "invalid_mcp_policy", "not a URL")]
    [InlineData("{key}", """{"projects": ["Fabrikam-Fiber-Git"]}""", HttpStatusCode.BadRequest, "invalid_mcp_policy", "`organisation/project`")]
    [InlineData("{key}", """{"organizations": ["fabrikam"], "projects": ["fabrikam-labs/Labs"]}""", HttpStatusCode.BadRequest, "invalid_mcp_policy", "leaves out")]
    [InlineData("{key}", """{"readOnly": "yes"}""", HttpStatusCode.BadRequest, null, null)]
    public async Task AWrongPolicy_IsRefusedWithAProblemNamingTheFix(string subject, string body, HttpStatusCode status, string? code, string? named)
    {
        var key = await McpPolicyKey.CreateAsync(fixture.Server, null);
        using var admin = fixture.Server.Client();
        var path = "/v1/admin/mcp/policies/" + subject.Replace("{key}", key.Subject, StringComparison.Ordinal);
        var problem = await (await admin.PutAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"))).ShouldBeProblemAsync(status, code);
        if (named is not null)
        {
            problem.GetProperty("detail").GetString()!.ShouldContain(named);
        }
    }

    [Fact]
    public async Task AnAdminKey_ManagesOnlyItsOwnEnvironmentsPolicies()
    {
        using var owner = fixture.Server.Client();
        var other = await (await owner.PostAsJsonAsync("/v1/admin/api-keys", new { name = "mcp policy other env", environment = "production", role = "product" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var admin = await McpPolicyKey.CreateAsync(fixture.Server, null, role: "admin");
        using var client = fixture.Server.Client(admin.Key);
        await (await client.PutAsJsonAsync($"/v1/admin/mcp/policies/key:{other.GetProperty("id").GetString()}", new { readOnly = true }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "api_key_not_found");
    }
}
