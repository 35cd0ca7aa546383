using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AdoBridge.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using static Microsoft.Playwright.Assertions;

namespace AdoBridge.BrowserTests.AdminConsole;

/// <summary>
/// An agent's destructive call under a policy that asks for approval: the link its pending result gives opens the
/// approval's console page, a person approves it there and the agent's retry runs; the other MCP pages (clients, policies,
/// approvals, tool calls) pass axe-core.
/// </summary>
public sealed class ConsoleMcpBrowserTests(ChromiumFixture fixture) : IClassFixture<ChromiumFixture>
{

    [Fact]
    public async Task AnAgentsApprovalLink_IsApprovedOnItsConsolePage_AndTheRetryRuns()
    {
        using var api = fixture.Server.Api();
        var sandbox = await api.GetFromJsonAsync<JsonElement>("/v1/sandbox");
        var organization = sandbox.GetProperty("organization").GetString()!;
        var connection = await PostJsonAsync(api, "/v1/connections", new { type = "pat", endUserId = "mcp-browser", organization, pat = sandbox.GetProperty("pat").GetString() });
        var key = await PostJsonAsync(api, "/v1/admin/api-keys", new { name = "review agent", role = "product" });
        var subject = "key:" + key.GetProperty("id").GetString();
        using (var put = await api.PutAsJsonAsync("/v1/admin/mcp/policies/" + subject, new { toolsets = new[] { "work_items" }, approveDestructive = true }))
        {
            put.IsSuccessStatusCode.ShouldBeTrue(await put.Content.ReadAsStringAsync());
        }

        // An MCP client that registered itself (RFC 7591), as Claude Code or VS Code do before their first sign-in.
        using (var anonymous = new HttpClient { BaseAddress = fixture.Server.BaseUrl })
        using (var registered = await anonymous.PostAsJsonAsync("/oauth/register", new { client_name = "Claude Code", redirect_uris = new[] { "http://127.0.0.1:53682/callback" }, token_endpoint_auth_method = "none" }))
        {
            registered.IsSuccessStatusCode.ShouldBeTrue(await registered.Content.ReadAsStringAsync());
        }

        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(fixture.Server.BaseUrl, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + key.GetProperty("key").GetString() },
        });
        await using var agent = await McpClient.CreateAsync(transport);
        var args = new Dictionary<string, object?> { ["connection"] = connection.GetProperty("id").GetString(), ["organization"] = organization, ["project"] = "Fabrikam-Fiber-Git" };
        var created = await agent.CallToolAsync("create_work_item", new Dictionary<string, object?>(args) { ["type"] = "Task", ["fields"] = new Dictionary<string, string> { ["System.Title"] = "stale task" } });
        (created.IsError ?? false).ShouldBeFalse(Text(created));
        var delete = new Dictionary<string, object?>(args) { ["workItemId"] = created.StructuredContent!.Value.GetProperty("id").GetInt32() };
        var pending = Problem(await agent.CallToolAsync("delete_work_item", delete), "approval_pending");
        var approvalId = pending.GetProperty("approvalId").GetString()!;
        var link = pending.GetProperty("approvalUrl").GetString()!;
        link.ShouldBe(new Uri(fixture.Server.BaseUrl, "/console/mcp/approvals/" + approvalId).ToString());
        // A second request for the same call waits on the approvals page.
        var waiting = Problem(await agent.CallToolAsync("delete_work_item", delete), "approval_pending").GetProperty("approvalId").GetString()!;

        // The person follows the link: sign-in first (the owner is set up here), then the approval's page.
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await ConsoleOwner.SetUpAsync(page, fixture.Server);
        await page.GotoAsync(link);
        await Expect(page.Locator("h1")).ToHaveTextAsync("MCP approval: delete_work_item");
        await Expect(page.Locator("main")).ToContainTextAsync(subject);
        await Expect(page.Locator("main")).ToContainTextAsync("\"workItemId\"");
        await Accessibility.AssertAccessibleAsync(page, "console-mcp-approval");
        await page.GetByLabel("Reason (optional").FillAsync("stale task, agreed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve delete_work_item (" + approvalId + ")" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Approved: the agent's retry of 'delete_work_item'");
        await Expect(page.Locator(".badge").First).ToHaveTextAsync("approved");

        // The agent's retry with the approval runs, once.
        var retried = await agent.CallToolAsync("delete_work_item", new Dictionary<string, object?>(delete) { ["approval"] = approvalId });
        (retried.IsError ?? false).ShouldBeFalse(Text(retried));

        // The other MCP pages, each through the navigation.
        await page.GetByRole(AriaRole.Link, new() { Name = "MCP", Exact = true }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("MCP clients and tokens");
        await Expect(page.Locator("main table")).ToContainTextAsync("Claude Code");
        await Expect(page.Locator("main table")).ToContainTextAsync("dynamic registration");
        await Accessibility.AssertAccessibleAsync(page, "console-mcp");
        await page.GetByRole(AriaRole.Link, new() { Name = "Policies", Exact = true }).ClickAsync();
        await Expect(page.Locator("main table")).ToContainTextAsync(subject);
        await Accessibility.AssertAccessibleAsync(page, "console-mcp-policies");
        await page.GetByRole(AriaRole.Link, new() { Name = "Approvals", Exact = true }).ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync(waiting);
        await Expect(page.Locator("main table")).ToContainTextAsync(approvalId);
        await Accessibility.AssertAccessibleAsync(page, "console-mcp-approvals");
        await page.GetByRole(AriaRole.Link, new() { Name = "Tool calls", Exact = true }).ClickAsync();
        await Expect(page.Locator("#results tbody tr")).ToHaveCountAsync(4);
        await Accessibility.AssertAccessibleAsync(page, "console-mcp-calls");
        await page.GetByLabel("Outcome").FillAsync("approval_pending");
        await Expect(page.Locator("#results tbody tr")).ToHaveCountAsync(2);
        await page.WaitForURLAsync(new Regex("outcome=approval_pending"));

        // At phone width the approvals page still works: deny the waiting one there.
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync(new Uri(fixture.Server.BaseUrl, "/console/mcp/approvals").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Deny delete_work_item (" + waiting + ")" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Denied");
        await Accessibility.AssertAccessibleAsync(page, "console-mcp-approvals-phone");
        Problem(await agent.CallToolAsync("delete_work_item", new Dictionary<string, object?>(delete) { ["approval"] = waiting }), "approval_denied");
    }

    private static async Task<JsonElement> PostJsonAsync(HttpClient api, string path, object body)
    {
        using var response = await api.PostAsJsonAsync(path, body);
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static JsonElement Problem(CallToolResult result, string code)
    {
        var text = Text(result);
        (result.IsError ?? false).ShouldBeTrue(text);
        var start = text.IndexOf("\n{", StringComparison.Ordinal) + 1;
        var end = text.LastIndexOf("}\n", StringComparison.Ordinal) + 1;
        var problem = JsonDocument.Parse(text[start..end]).RootElement.Clone();
        problem.GetProperty("code").GetString().ShouldBe(code, text);
        return problem;
    }

    private static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));
}
