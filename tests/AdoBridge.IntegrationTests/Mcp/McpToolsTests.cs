using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Security;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace AdoBridge.IntegrationTests.Mcp;

/// <summary>The tools over both protocol revisions: listed with valid schemas and truthful annotations, and called against the emulator.</summary>
public sealed partial class McpToolsTests(McpFixture fixture) : IClassFixture<McpFixture>
{
    public static TheoryData<string> Revisions => new() { McpFixture.Latest, McpFixture.Initialize };

    [Theory]
    [MemberData(nameof(Revisions))]
    public async Task ToolsList_HasEveryAction_OrderedByStableName_WithValidSchemasAndAllFourAnnotations(string revision)
    {
        await using var client = await fixture.ClientAsync(revision);
        var tools = (await client.ListToolsAsync()).Select(t => t.ProtocolTool).ToList();

        // One tool per typed action route: an action added without a tool fails here.
        var actionRoutes = RouteTable.Read(fixture.Server.App).Count(r => r.Pattern.StartsWith("/v1/connections/{id}/organizations", StringComparison.Ordinal));
        tools.Count.ShouldBe(actionRoutes);
        tools.Select(t => t.Name).ShouldBe(tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var tool in tools)
        {
            SnakeCase().IsMatch(tool.Name).ShouldBeTrue(tool.Name);
            tool.Description.ShouldNotBeNullOrWhiteSpace();
            var a = tool.Annotations.ShouldNotBeNull(tool.Name);
            a.ReadOnlyHint.ShouldNotBeNull(tool.Name);
            a.DestructiveHint.ShouldNotBeNull(tool.Name);
            a.IdempotentHint.ShouldNotBeNull(tool.Name);
            a.OpenWorldHint.ShouldNotBeNull(tool.Name);
            if (a.ReadOnlyHint == true)
            {
                a.DestructiveHint.ShouldBe(false, tool.Name);
                a.IdempotentHint.ShouldBe(true, tool.Name);
            }

            tool.InputSchema.ShouldBeValidSchema(tool.Name + " input");
            tool.InputSchema.GetProperty("type").GetString().ShouldBe("object");
            tool.InputSchema.GetProperty("properties").GetProperty("connection").GetProperty("x-mcp-header").GetString().ShouldBe("Connection");
            var output = tool.OutputSchema.ShouldNotBeNull(tool.Name);
            output.ShouldBeValidSchema(tool.Name + " output");
            output.GetProperty("type").GetString().ShouldBe("object");
        }

        // Spot checks that the hints say what the tools do.
        tools.Single(t => t.Name == "delete_work_item").Annotations!.DestructiveHint.ShouldBe(true);
        tools.Single(t => t.Name == "update_pull_request").Annotations!.DestructiveHint.ShouldBe(true);
        tools.Single(t => t.Name == "run_pipeline").Annotations!.OpenWorldHint.ShouldBe(true);
        tools.Single(t => t.Name == "create_work_item").Annotations!.ReadOnlyHint.ShouldBe(false);
        tools.Single(t => t.Name == "create_work_item").Annotations!.DestructiveHint.ShouldBe(false);
        tools.Single(t => t.Name == "get_work_item").Annotations!.ReadOnlyHint.ShouldBe(true);
    }

    [Theory]
    [MemberData(nameof(Revisions))]
    public async Task ReadTools_AnswerStructuredContentThatConformsToTheOutputSchema_AndTheSameJsonFencedAsText(string revision)
    {
        await using var client = await fixture.ClientAsync(revision);
        var schemas = (await client.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool.OutputSchema!.Value);
        var calls = new (string Tool, Dictionary<string, object?> Args)[]
        {
            ("list_organizations", new() { ["connection"] = fixture.Alice }),
            ("list_projects", new() { ["connection"] = fixture.Alice, ["organization"] = "fabrikam", ["top"] = 10 }),
            ("search_identities", fixture.Args(new { search = "alice" })),
            ("list_repositories", fixture.Args()),
            ("list_branches", fixture.Args()),
            ("get_file_content", fixture.Args(new { path = "/README.md", version = "main" })),
            ("list_pull_requests", fixture.Args(new { status = "all" })),
            ("get_pull_request", fixture.Args(new { pullRequestId = 1 })),
            ("list_pull_request_threads", fixture.Args(new { pullRequestId = 1 })),
            ("list_pull_request_reviewers", fixture.Args(new { pullRequestId = 1 })),
            ("list_pull_request_changes", fixture.Args(new { pullRequestId = 1, diff = true })),
            ("list_pull_request_commits", fixture.Args(new { pullRequestId = 1 })),
            ("search_work_items", fixture.Args(new { titleContains = "a" })),
            ("get_work_item", fixture.Args(new { workItemId = 1 })),
            ("get_work_items", fixture.Args(new { ids = new[] { 1, 2 } })),
            ("list_work_item_comments", fixture.Args(new { workItemId = 1 })),
            ("list_work_item_types", fixture.Args()),
            ("list_pipelines", fixture.Args()),
            ("list_builds", fixture.Args()),
        };
        foreach (var (tool, args) in calls)
        {
            var result = await client.CallToolAsync(tool, args);
            var structured = result.Ok();
            structured.ShouldConformTo(schemas[tool], tool);
            JsonElement.DeepEquals(FencedJson(result.Text()), structured).ShouldBeTrue(tool);
        }
    }

    [Fact]
    public async Task ATool_AnswersWhatTheRestActionAnswers()
    {
        await using var client = await fixture.ClientAsync();
        using var api = fixture.Server.Client();
        var rest = await (await api.GetAsync($"/v1/connections/{fixture.Alice}/organizations/fabrikam/projects/{McpFixture.Project}/repositories/{McpFixture.Repository}/pull-requests/1")).ShouldBeJsonAsync();
        var tool = (await client.CallToolAsync("get_pull_request", fixture.Args(new { pullRequestId = 1 }))).Ok();
        tool.GetProperty("pullRequestId").GetInt32().ShouldBe(1);
        tool.GetProperty("title").GetString().ShouldBe(rest.GetProperty("title").GetString());
        tool.GetProperty("status").GetString().ShouldBe(rest.GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(Revisions))]
    public async Task WriteTools_ChangeAzureDevOps_AsTheConnection(string revision)
    {
        await using var client = await fixture.ClientAsync(revision);
        var schemas = (await client.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool.OutputSchema!.Value);
        var title = "MCP bug " + Guid.NewGuid().ToString("N")[..6];

        var created = await client.CallToolAsync("create_work_item", fixture.Args(new { type = "Bug", fields = new Dictionary<string, object> { ["System.Title"] = title } }));
        created.Ok().ShouldConformTo(schemas["create_work_item"], "create_work_item");
        var id = created.Ok().GetProperty("id").GetInt32();

        var comment = await client.CallToolAsync("add_work_item_comment", fixture.Args(new { workItemId = id, text = "Seen from an agent", format = "markdown" }));
        comment.Ok().ShouldConformTo(schemas["add_work_item_comment"], "add_work_item_comment");

        var updated = await client.CallToolAsync("update_work_item", fixture.Args(new { workItemId = id, patch = new[] { new { op = "add", path = "/fields/System.State", value = "Resolved" } } }));
        updated.Ok().GetProperty("fields").GetProperty("System.State").GetString().ShouldBe("Resolved");

        var thread = await client.CallToolAsync("create_pull_request_thread", fixture.Args(new { pullRequestId = 1, content = "From the MCP test" }));
        var threadId = thread.Ok().GetProperty("id").GetInt32();
        (await client.CallToolAsync("reply_to_pull_request_thread", fixture.Args(new { pullRequestId = 1, threadId, content = "A reply" }))).Ok();
        (await client.CallToolAsync("update_pull_request_thread", fixture.Args(new { pullRequestId = 1, threadId, status = "fixed" }))).Ok()
            .GetProperty("status").GetString().ShouldBe("fixed");

        // What the tools did is in Azure DevOps, seen through the REST actions.
        using var api = fixture.Server.Client();
        var item = await (await api.GetAsync($"/v1/connections/{fixture.Alice}/organizations/fabrikam/work-items/{id}")).ShouldBeJsonAsync();
        item.GetProperty("fields").GetProperty("System.Title").GetString().ShouldBe(title);
        item.GetProperty("fields").GetProperty("System.State").GetString().ShouldBe("Resolved");
        var comments = await (await api.GetAsync($"/v1/connections/{fixture.Alice}/organizations/fabrikam/projects/{McpFixture.Project}/work-items/{id}/comments")).ShouldBeJsonAsync();
        comments.GetProperty("items").EnumerateArray().ShouldContain(c => c.GetProperty("text").GetString()!.Contains("Seen from an agent", StringComparison.Ordinal));

        var deleted = await client.CallToolAsync("delete_work_item", fixture.Args(new { workItemId = id }));
        deleted.Ok().ShouldConformTo(schemas["delete_work_item"], "delete_work_item");
        (await client.CallToolAsync("get_work_item", fixture.Args(new { workItemId = id }))).Problem("azure_devops_error").GetProperty("azureStatus").GetInt32().ShouldBe(404);
    }

    [Fact]
    public async Task Failures_AreToolErrors_WithTheCodeDetailAndAzureDevOpsMessage()
    {
        await using var client = await fixture.ClientAsync();

        var notFound = (await client.CallToolAsync("get_pull_request", fixture.Args(new { pullRequestId = 9999 }))).Problem("azure_devops_error");
        notFound.GetProperty("azureStatus").GetInt32().ShouldBe(404);
        notFound.GetProperty("azureMessage").GetString().ShouldNotBeNullOrEmpty();
        notFound.GetProperty("detail").GetString().ShouldBe(notFound.GetProperty("azureMessage").GetString());
        notFound.GetProperty("retryable").GetBoolean().ShouldBeFalse();

        (await client.CallToolAsync("list_projects", new Dictionary<string, object?> { ["connection"] = "conn_doesnotexist", ["organization"] = "fabrikam" }))
            .Problem("connection_not_found").GetProperty("detail").GetString()!.ShouldContain("conn_doesnotexist");
        (await client.CallToolAsync("list_projects", new Dictionary<string, object?> { ["connection"] = fixture.Bob, ["organization"] = "fabrikam-labs" }))
            .Problem("organization_not_in_connection").GetProperty("detail").GetString()!.ShouldContain("list", Case.Insensitive);
        (await client.CallToolAsync("list_projects", new Dictionary<string, object?> { ["organization"] = "fabrikam" }))
            .Problem("connection_required").GetProperty("detail").GetString()!.ShouldContain("X-AdoBridge-Connection");
        (await client.CallToolAsync("list_projects", fixture.Args(new { top = "ten" }))).Problem("invalid_argument").GetProperty("argument").GetString().ShouldBe("top");
        (await client.CallToolAsync("get_pull_request", fixture.Args())).Problem("invalid_argument").GetProperty("argument").GetString().ShouldBe("pullRequestId");
        (await client.CallToolAsync("list_projects", fixture.Args(new { top = 5000 }))).Problem("invalid_field").GetProperty("detail").GetString()!.ShouldContain("top");

        var unknown = await Should.ThrowAsync<McpProtocolException>(async () => await client.CallToolAsync("no_such_tool", fixture.Args()));
        unknown.ErrorCode.ShouldBe(McpErrorCode.InvalidParams);
    }

    [Fact]
    public async Task AzureDevOpsThrottling_IsARetryableToolErrorSayingHowLongToWait()
    {
        await fixture.FaultAsync(new { pathPrefix = "/dev.azure.com/fabrikam-labs/_apis/projects", statusCode = 429, count = 1, headers = new Dictionary<string, string> { ["Retry-After"] = "120" }, body = "{\"message\":\"TF400733: throttled\"}", contentType = "application/json" });
        try
        {
            await using var client = await fixture.ClientAsync();
            var result = await client.CallToolAsync("list_projects", fixture.Args(organization: "fabrikam-labs"));
            var problem = result.Problem("azure_devops_error");
            problem.GetProperty("retryable").GetBoolean().ShouldBeTrue();
            problem.GetProperty("retryAfterSeconds").GetInt32().ShouldBe(120);
            problem.GetProperty("azureMessage").GetString().ShouldBe("TF400733: throttled");
            result.Text().ShouldStartWith("Azure DevOps is throttling this connection: retry this call in 120 seconds");
        }
        finally
        {
            await fixture.ClearFaultsAsync();
        }
    }

    [Fact]
    public async Task AzureDevOps503WithRetryAfter_IsARetryableToolErrorWithTheWaitAndTheCode()
    {
        await fixture.FaultAsync(new { pathPrefix = "/dev.azure.com/fabrikam-labs/_apis/projects", statusCode = 503, count = 1, headers = new Dictionary<string, string> { ["Retry-After"] = "300" }, body = "{\"message\":\"TF400733: the service is busy\"}", contentType = "application/json" });
        try
        {
            await using var client = await fixture.ClientAsync();
            var result = await client.CallToolAsync("list_projects", fixture.Args(organization: "fabrikam-labs"));
            var problem = result.Problem("azure_devops_error");
            problem.GetProperty("retryable").GetBoolean().ShouldBeTrue();
            problem.GetProperty("retryAfterSeconds").GetInt32().ShouldBe(300);
            problem.GetProperty("azureStatus").GetInt32().ShouldBe(503);
            result.Text().ShouldStartWith("Azure DevOps is throttling this connection: retry this call in 300 seconds (code azure_devops_error)");
        }
        finally
        {
            await fixture.ClearFaultsAsync();
        }
    }

    [Fact]
    public async Task AConnectionOfAnotherEnvironment_IsRefusedAsOnTheRestApi()
    {
        using var admin = fixture.Server.Client();
        var key = (await (await admin.PostAsJsonAsync("/v1/admin/api-keys", new { name = "mcp other environment", environment = "production", role = "product" })).ShouldBeJsonAsync(System.Net.HttpStatusCode.Created))
            .GetProperty("key").GetString();
        await using var client = await fixture.ClientAsync(apiKey: key);
        (await client.CallToolAsync("list_projects", fixture.Args())).Problem("connection_not_found");
    }

    /// <summary>The JSON inside the fenced block of a result's text.</summary>
    internal static JsonElement FencedJson(string text)
    {
        var match = Fence().Match(text);
        match.Success.ShouldBeTrue(text);
        return JsonDocument.Parse(match.Groups["data"].Value).RootElement.Clone();
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();

    [GeneratedRegex(@"\n<(?<tag>adobridge-untrusted-[0-9a-f]{32})>\n(?<data>.*)\n</\k<tag>>$", RegexOptions.Singleline)]
    internal static partial Regex Fence();
}
