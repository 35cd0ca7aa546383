using ModelContextProtocol;

namespace AdoBridge.IntegrationTests.Mcp;

/// <summary>Microsoft's remote-server headers as they are: a tool filtered out is absent from tools/list and refused on tools/call.</summary>
public sealed class McpFilteringTests(McpFixture fixture) : IClassFixture<McpFixture>
{
    [Theory]
    [InlineData(McpFixture.Latest)]
    [InlineData(McpFixture.Initialize)]
    public async Task Toolsets_ListOnlyThoseToolsetsAndCore_AndRefuseTheRest(string revision)
    {
        await using var client = await fixture.ClientAsync(revision, new Dictionary<string, string> { ["X-MCP-Toolsets"] = "wit, pipelines" });
        var names = (await client.ListToolsAsync()).Select(t => t.Name).ToList();
        names.ShouldContain("get_work_item");
        names.ShouldContain("list_builds");
        names.ShouldContain("list_organizations");
        names.ShouldNotContain("list_pull_requests");
        names.ShouldNotContain("list_repositories");

        (await client.CallToolAsync("get_work_item", fixture.Args(new { workItemId = 1 }))).Ok();
        var refused = await Should.ThrowAsync<McpProtocolException>(async () => await client.CallToolAsync("list_pull_requests", fixture.Args()));
        refused.ErrorCode.ShouldBe(McpErrorCode.InvalidParams);
        refused.Message.ShouldContain("not enabled");
    }

    [Fact]
    public async Task Tools_ListExactlyThoseTools()
    {
        await using var client = await fixture.ClientAsync(headers: new Dictionary<string, string> { ["X-MCP-Tools"] = "list_projects,get_work_item" });
        (await client.ListToolsAsync()).Select(t => t.Name).ShouldBe(["get_work_item", "list_projects"]);
        await Should.ThrowAsync<McpProtocolException>(async () => await client.CallToolAsync("list_organizations", fixture.Args()));
    }

    [Theory]
    [InlineData(McpFixture.Latest)]
    [InlineData(McpFixture.Initialize)]
    public async Task Readonly_ListsOnlyReadOnlyTools_AndRefusesWritesBeforeTheyReachAzureDevOps(string revision)
    {
        await using var client = await fixture.ClientAsync(revision, new Dictionary<string, string> { ["X-MCP-Readonly"] = "true" });
        var tools = await client.ListToolsAsync();
        tools.Count.ShouldBeGreaterThan(20);
        tools.ShouldAllBe(t => t.ProtocolTool.Annotations!.ReadOnlyHint == true);

        await Should.ThrowAsync<McpProtocolException>(async () => await client.CallToolAsync("delete_work_item", fixture.Args(new { workItemId = 1 })));
        (await client.CallToolAsync("get_work_item", fixture.Args(new { workItemId = 1 }))).Ok().GetProperty("id").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task ToolsetsAndReadonly_Combine()
    {
        await using var client = await fixture.ClientAsync(headers: new Dictionary<string, string> { ["X-MCP-Toolsets"] = "pull_requests", ["X-MCP-Readonly"] = "true" });
        var names = (await client.ListToolsAsync()).Select(t => t.Name).ToList();
        names.ShouldContain("get_pull_request");
        names.ShouldNotContain("create_pull_request");
        names.ShouldNotContain("get_work_item");
    }

    [Fact]
    public async Task NoHeader_ListsEveryTool()
    {
        await using var client = await fixture.ClientAsync();
        (await client.ListToolsAsync()).Count.ShouldBe(45);
    }
}
