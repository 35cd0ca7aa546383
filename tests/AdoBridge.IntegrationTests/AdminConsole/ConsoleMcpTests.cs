using System.Net;
using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Mcp;
using AdoBridge.IntegrationTests.McpOAuth;
using AdoBridge.IntegrationTests.Storage;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using ModelContextProtocol.Client;

namespace AdoBridge.IntegrationTests.AdminConsole;

/// <summary>
/// The console's MCP pages: approvals decided on the page the agent's link opens (with the API's rules and messages),
/// policies set, edited and deleted with the API's validation, OAuth clients and their tokens revoked, and the recent
/// tool calls filtered and paged. Every action needs its antiforgery token and lands in the console audit.
/// </summary>
public sealed class ConsoleMcpTests
{
    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task AnApprovalLink_OpensTheConsolePage_WhereAPersonApprovesIt_AndTheRetryRuns(string engine)
    {
        await using var server = await AdoBridgeServer.StartAsync(await StorageEngine.SettingsAsync(engine));
        using var owner = await OwnerAsync(server);
        using var api = server.Client();
        var pat = (await server.DetailsAsync()).GetProperty("pat").GetString();
        var connection = (await (await api.PostAsJsonAsync("/v1/connections", new { type = "pat", endUserId = "console-approval", organization = "fabrikam", pat }))
            .ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var key = await McpPolicyKey.CreateAsync(server, new { approveDestructive = true });
        await using var agent = await McpFixture.ClientAsync(new Uri(server.BaseUrl, "/mcp"), McpFixture.Latest, null, key.Key);
        var workItem = (await agent.CallToolAsync("create_work_item", Args(connection, new { type = "Task", fields = new Dictionary<string, string> { ["System.Title"] = "console approval" } })))
            .Ok().GetProperty("id").GetInt32();
        var delete = Args(connection, new { workItemId = workItem });

        var pending = (await agent.CallToolAsync("delete_work_item", delete)).Problem("approval_pending");
        var id = pending.GetProperty("approvalId").GetString()!;
        var link = new Uri(pending.GetProperty("approvalUrl").GetString()!);
        link.AbsolutePath.ShouldBe("/console/mcp/approvals/" + id);
        pending.GetProperty("detail").GetString()!.ShouldContain("/console/mcp/approvals/" + id);

        // The pending list and the approval's own page show the tool, the caller, the connection and the redacted arguments.
        var (listStatus, list) = await owner.PageAsync("/console/mcp/approvals");
        listStatus.ShouldBe(HttpStatusCode.OK);
        list.ShouldContain(id);
        list.ShouldContain("delete_work_item");
        list.ShouldContain(key.Subject);
        var (status, page) = await owner.PageAsync(link.PathAndQuery);
        status.ShouldBe(HttpStatusCode.OK);
        page.ShouldContain(connection);
        Text(page).ShouldContain($"\"workItemId\": {workItem}");

        // Without the antiforgery token nothing is decided.
        using (var forged = await owner.PostAsync($"/console/mcp/approvals/{id}/approve", [], withToken: false))
        {
            forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        (await agent.CallToolAsync("delete_work_item", With(delete, id))).Problem("approval_pending");

        using (var approved = await owner.PostAsync($"/console/mcp/approvals/{id}/approve", new() { ["reason"] = "agreed in the console" }))
        {
            approved.StatusCode.ShouldBe(HttpStatusCode.OK);
            Text(await approved.Content.ReadAsStringAsync()).ShouldContain("Approved: the agent's retry");
        }

        var shown = await (await api.GetAsync($"/v1/admin/mcp/approvals/{id}")).ShouldBeJsonAsync();
        shown.GetProperty("status").GetString().ShouldBe("approved");
        shown.GetProperty("decidedBy").GetString().ShouldBe("console:" + ConsoleSession.OwnerName);
        shown.GetProperty("reason").GetString().ShouldBe("agreed in the console");

        // Deciding again is refused with the API's message, on the page.
        await owner.GetAsync(link.PathAndQuery);
        using (var again = await owner.PostAsync($"/console/mcp/approvals/{id}/deny", new() { ["from"] = "list" }))
        {
            again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            var html = Text(await again.Content.ReadAsStringAsync());
            html.ShouldContain("is already approved; only a pending approval can be decided.");
            html.ShouldContain("<h1>MCP approvals</h1>");
        }

        // A reason too long is refused with the API's message.
        var second = (await agent.CallToolAsync("delete_work_item", delete)).Problem("approval_pending").GetProperty("approvalId").GetString()!;
        await owner.GetAsync("/console/mcp/approvals");
        using (var tooLong = await owner.PostAsync($"/console/mcp/approvals/{second}/deny", new() { ["reason"] = new string('x', 501) }))
        {
            tooLong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            Text(await tooLong.Content.ReadAsStringAsync()).ShouldContain("`reason` must be at most 500 characters");
        }

        using (var denied = await owner.PostAsync($"/console/mcp/approvals/{second}/deny", new() { ["reason"] = "one is enough", ["from"] = "list" }))
        {
            denied.StatusCode.ShouldBe(HttpStatusCode.OK);
            Text(await denied.Content.ReadAsStringAsync()).ShouldContain("Denied: the agent's retry");
        }

        (await agent.CallToolAsync("delete_work_item", With(delete, second))).Problem("approval_denied").GetProperty("detail").GetString()!.ShouldContain("one is enough");

        // The approved call runs once.
        (await agent.CallToolAsync("delete_work_item", With(delete, id))).Ok();
        (await agent.CallToolAsync("delete_work_item", With(delete, id))).Problem("approval_used");

        // An approval that does not exist (or another environment's, for an admin) is a page with a message.
        var (missingStatus, missing) = await owner.PageAsync("/console/mcp/approvals/mcpa_nothing");
        missingStatus.ShouldBe(HttpStatusCode.NotFound);
        Text(missing).ShouldContain("There is no MCP approval 'mcpa_nothing'");

        // The tool calls page lists the calls newest first, filtered by outcome, with links to their approvals.
        var (_, calls) = await owner.PageAsync("/console/mcp/calls?tool=delete_work_item");
        calls.ShouldContain(">approval_pending</span>");
        calls.ShouldContain(">approval_denied</span>");
        calls.ShouldContain("/console/mcp/approvals/" + id);
        calls.IndexOf(">approval_used</span>", StringComparison.Ordinal).ShouldBeLessThan(calls.IndexOf(">approval_pending</span>", StringComparison.Ordinal), "newest first");
        var (_, okOnly) = await owner.PageAsync("/console/mcp/calls?tool=delete_work_item&outcome=ok");
        okOnly.ShouldNotContain(">approval_pending</span>");
        okOnly.ShouldContain(">ok</span>");

        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        var audit = await db.ConsoleAudit.Where(a => a.Action.StartsWith("console.mcp_")).Select(a => a.Action).ToListAsync();
        audit.Order().ShouldBe(["console.mcp_approval_approved", "console.mcp_approval_denied"]);
        (await db.ConsoleAudit.CountAsync(a => a.Action == "console.refused" && a.Detail!.Contains(id))).ShouldBe(1);
    }

    [Fact]
    public async Task ToolCalls_PageBackwards_AndABadFilterShowsThePage()
    {
        await using var server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?> { ["AdoBridge:RateLimits:McpRequestsPerMinute"] = "0" });
        using var owner = await OwnerAsync(server);
        var connection = await server.ConnectWithMicrosoftAsync("console-calls");
        await using (var agent = await McpFixture.ClientAsync(new Uri(server.BaseUrl, "/mcp"), McpFixture.Latest, null, AdoBridgeServer.BootstrapKey))
        {
            for (var i = 0; i < 55; i++)
            {
                (await agent.CallToolAsync("list_projects", new Dictionary<string, object?> { ["connection"] = connection, ["organization"] = "fabrikam" })).Ok();
            }
        }

        var (status, first) = await owner.PageAsync("/console/mcp/calls?tool=list_projects");
        status.ShouldBe(HttpStatusCode.OK);
        Rows(first).ShouldBe(50);
        var next = System.Text.RegularExpressions.Regex.Match(first, "href=\"(/console/mcp/calls\\?[^\"]*cursor=[^\"]+)\"").Groups[1].Value;
        next.ShouldNotBeEmpty();
        var (_, second) = await owner.PageAsync(WebUtility.HtmlDecode(next));
        Rows(second).ShouldBe(5);
        second.ShouldContain("Newest calls");
        second.ShouldNotContain("Older calls");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/console/mcp/calls?outcome=nothing-like-this");
        request.Headers.Add("HX-Request", "true");
        using var fragment = await owner.Http.SendAsync(request);
        var html = await fragment.Content.ReadAsStringAsync();
        html.TrimStart().ShouldStartWith("<div id=\"results\"");
        html.ShouldContain("No tool call matches this filter.");

        var (badStatus, bad) = await owner.PageAsync("/console/mcp/calls?tool=" + new string('t', 101));
        badStatus.ShouldBe(HttpStatusCode.BadRequest);
        Text(bad).ShouldContain("The tool must be a tool's name");
        bad.ShouldContain("<h1>MCP tool calls</h1>");

        static int Rows(string html) => System.Text.RegularExpressions.Regex.Count(html, "<td data-label=\"Tool\">");
    }

    [Fact]
    public async Task Policies_AreSetEditedAndDeleted_WithTheApisRulesAndMessages()
    {
        await using var server = await AdoBridgeServer.StartAsync();
        using var owner = await OwnerAsync(server);
        using var api = server.Client();
        var key = await McpPolicyKey.CreateAsync(server, null);
        var (status, page) = await owner.PageAsync("/console/mcp/policies");
        status.ShouldBe(HttpStatusCode.OK);
        page.ShouldContain($"<option value=\"{key.Subject}\"", customMessage: "the form offers the environment's keys");

        // Bad input: the page again, with the API's message, and the input kept.
        foreach (var (fields, message, code) in new (Dictionary<string, string>, string, HttpStatusCode)[]
        {
            (new() { ["subject"] = "nobody" }, "is not a policy subject: use `key:<API key id>`", HttpStatusCode.BadRequest),
            (new() { ["subject"] = key.Subject, ["toolsetsMode"] = "some", ["toolsets"] = "nonsense" }, "`toolsets` names 'nonsense', which is not a toolset.", HttpStatusCode.BadRequest),
            (new() { ["subject"] = key.Subject, ["projects"] = "no-slash" }, "`projects` entry 'no-slash' must be `organisation/project`", HttpStatusCode.BadRequest),
            (new() { ["subject"] = key.Subject, ["organizations"] = "fabrikam", ["projects"] = "contoso/Web" }, "which `organizations` leaves out", HttpStatusCode.BadRequest),
            (new() { ["subject"] = "key:adbk_missing" }, "There is no API key 'adbk_missing' in your environment", HttpStatusCode.NotFound),
        })
        {
            using var refused = await owner.PostAsync("/console/mcp/policies", fields);
            refused.StatusCode.ShouldBe(code, message);
            var html = Text(await refused.Content.ReadAsStringAsync());
            html.ShouldContain("The policy was not saved: ");
            html.ShouldContain(message);
            html.ShouldContain("<h1>MCP policies</h1>");
        }

        using (var forged = await owner.PostAsync("/console/mcp/policies", new() { ["subject"] = key.Subject }, withToken: false))
        {
            forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        await (await api.GetAsync($"/v1/admin/mcp/policies/{key.Subject}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "mcp_policy_not_found");

        using (var saved = await owner.PostAsync("/console/mcp/policies", new()
        {
            ["subject"] = key.Subject, ["toolsetsMode"] = "some", ["toolsets"] = "repos", ["readOnly"] = "true", ["organizations"] = "fabrikam\r\nfabrikam-labs",
            ["projects"] = "fabrikam/Fabrikam-Fiber-Git", ["approveDestructive"] = "true",
        }))
        {
            saved.StatusCode.ShouldBe(HttpStatusCode.OK);
            var savedPage = await saved.Content.ReadAsStringAsync();
            savedPage.ShouldContain($"Policy for {key.Subject} created");
            savedPage.ShouldContain("<td data-label=\"Subject\">API key &#x27;", customMessage: "the list names the key");
            savedPage.ShouldContain($"<code>{key.Subject}</code>", customMessage: "and shows the subject id the policy applies to");
        }

        var policy = await (await api.GetAsync($"/v1/admin/mcp/policies/{key.Subject}")).ShouldBeJsonAsync();
        policy.GetProperty("toolsets").EnumerateArray().Select(t => t.GetString()).ShouldBe(["repos"]);
        policy.GetProperty("readOnly").GetBoolean().ShouldBeTrue();
        policy.GetProperty("organizations").EnumerateArray().Select(t => t.GetString()).ShouldBe(["fabrikam", "fabrikam-labs"]);
        policy.GetProperty("projects").EnumerateArray().Select(t => t.GetString()).ShouldBe(["fabrikam/Fabrikam-Fiber-Git"]);
        policy.GetProperty("approveDestructive").GetBoolean().ShouldBeTrue();

        // The edit form starts from the policy; saving "all toolsets" and no lists widens it again.
        var (_, edit) = await owner.PageAsync("/console/mcp/policies?subject=" + Uri.EscapeDataString(key.Subject));
        edit.ShouldContain("Policy for " + key.Subject);
        edit.ShouldContain("fabrikam-labs</textarea>");
        using (var widened = await owner.PostAsync("/console/mcp/policies", new() { ["subject"] = key.Subject, ["toolsetsMode"] = "all" }))
        {
            widened.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await widened.Content.ReadAsStringAsync()).ShouldContain($"Policy for {key.Subject} saved");
        }

        policy = await (await api.GetAsync($"/v1/admin/mcp/policies/{key.Subject}")).ShouldBeJsonAsync();
        policy.GetProperty("toolsets").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        policy.GetProperty("readOnly").GetBoolean().ShouldBeFalse();

        using (var deleted = await owner.PostAsync("/console/mcp/policies/delete", new() { ["subject"] = key.Subject }))
        {
            deleted.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await (await api.GetAsync($"/v1/admin/mcp/policies/{key.Subject}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "mcp_policy_not_found");
        using (var gone = await owner.PostAsync("/console/mcp/policies/delete", new() { ["subject"] = key.Subject }))
        {
            gone.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            Text(await gone.Content.ReadAsStringAsync()).ShouldContain("There is no MCP policy for");
        }

        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.ConsoleAudit.CountAsync(a => a.Action == "console.mcp_policy_set")).ShouldBe(2);
        (await db.ConsoleAudit.CountAsync(a => a.Action == "console.mcp_policy_deleted")).ShouldBe(1);
    }

    [Fact]
    public async Task OAuthClients_AndTheirTokens_AreListedAndRevoked_NeverShown()
    {
        await using var server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?> { ["AdoBridge:RateLimits:McpRequestsPerMinute"] = "0" });
        using var owner = await OwnerAsync(server);
        var oauth = new OAuthDriver(server);
        var (first, access, refresh) = await oauth.FullFlowAsync();
        var (second, secondAccess, _) = await oauth.FullFlowAsync();
        using var api = server.Client();
        var tokens = (await (await api.GetAsync("/v1/mcp/tokens")).ShouldBeJsonAsync()).GetProperty("data").EnumerateArray().ToList();
        tokens.Count.ShouldBe(4);

        var (status, page) = await owner.PageAsync("/console/mcp");
        status.ShouldBe(HttpStatusCode.OK);
        page.ShouldContain(first);
        page.ShouldContain(second);
        page.ShouldContain("dynamic registration");
        page.ShouldContain(OAuthDriver.RedirectUri);
        page.ShouldContain("Test MCP client");
        page.ShouldNotContain(access);
        page.ShouldNotContain(refresh);
        page.ShouldNotContain(secondAccess);

        // One token (and its grant) revoked, through the same service as DELETE /v1/mcp/tokens/{id}.
        var one = tokens.First(t => t.GetProperty("clientId").GetString() == first).GetProperty("id").GetString()!;
        using (var forged = await owner.PostAsync($"/console/mcp/tokens/{one}/revoke", [], withToken: false))
        {
            forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        using (var revoked = await owner.PostAsync($"/console/mcp/tokens/{one}/revoke", []))
        {
            revoked.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await revoked.Content.ReadAsStringAsync()).ShouldContain("Token revoked with every token of its grant");
        }

        using (var mcp = server.Client(access))
        {
            (await mcp.PostAsync("/mcp", JsonContent.Create(new { jsonrpc = "2.0", id = 1, method = "tools/list" }))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using (var unknown = await owner.PostAsync("/console/mcp/tokens/nothing/revoke", []))
        {
            unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            Text(await unknown.Content.ReadAsStringAsync()).ShouldContain("There is no MCP token 'nothing'");
        }

        // Every token of the other client.
        using (var all = await owner.PostAsync("/console/mcp/clients/revoke-tokens", new() { ["clientId"] = second }))
        {
            all.StatusCode.ShouldBe(HttpStatusCode.OK);
            Text(await all.Content.ReadAsStringAsync()).ShouldContain("Revoked 2 tokens of 'Test MCP client'");
        }

        (await (await api.GetAsync("/v1/mcp/tokens")).ShouldBeJsonAsync()).GetProperty("data").GetArrayLength().ShouldBe(0);
        using (var none = await owner.PostAsync("/console/mcp/clients/revoke-tokens", new() { ["clientId"] = second }))
        {
            none.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await none.Content.ReadAsStringAsync()).ShouldContain("holds no active token");
        }

        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.ConsoleAudit.CountAsync(a => a.Action == "console.mcp_token_revoked" || a.Action == "console.mcp_client_tokens_revoked")).ShouldBe(2);
    }

    /// <summary>The page's text with HTML entities decoded, to compare with the API's messages as written.</summary>
    private static string Text(string html) => WebUtility.HtmlDecode(html);

    private static async Task<ConsoleSession> OwnerAsync(AdoBridgeServer server)
    {
        var owner = new ConsoleSession(server.BaseUrl);
        (await owner.SetUpOwnerAsync(ConsoleSession.SetupToken(server))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return owner;
    }

    private static Dictionary<string, object?> Args(string connection, object more)
    {
        var args = new Dictionary<string, object?> { ["connection"] = connection, ["organization"] = "fabrikam", ["project"] = McpFixture.Project };
        foreach (var p in System.Text.Json.JsonSerializer.SerializeToElement(more).EnumerateObject())
        {
            args[p.Name] = p.Value;
        }

        return args;
    }

    private static Dictionary<string, object?> With(Dictionary<string, object?> args, string approval) => new(args) { ["approval"] = approval };
}
