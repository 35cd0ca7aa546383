using System.Globalization;
using System.Text.Json;
using AdoBridge.AdminConsole.Components;
using AdoBridge.ApiKeys;
using AdoBridge.Environments;
using AdoBridge.Hosting;
using AdoBridge.Mcp;
using AdoBridge.Mcp.Approvals;
using AdoBridge.Mcp.Policies;
using AdoBridge.McpOAuth;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenIddict.Abstractions;

namespace AdoBridge.AdminConsole;

/// <summary>The audit's names for what operators do on the MCP pages.</summary>
internal static partial class ConsoleActions
{
    public const string McpTokenRevoked = "console.mcp_token_revoked";
    public const string McpClientTokensRevoked = "console.mcp_client_tokens_revoked";
    public const string McpPolicySet = "console.mcp_policy_set";
    public const string McpPolicyDeleted = "console.mcp_policy_deleted";
    public const string McpApprovalApproved = "console.mcp_approval_approved";
    public const string McpApprovalDenied = "console.mcp_approval_denied";
}

/// <summary>
/// The console's MCP pages: OAuth clients and their tokens (revoke one, or all of a client's), policies per key or client,
/// approvals of destructive calls (approve, deny), and the recent tool calls. Every action goes through the services and
/// rules the admin API uses (<see cref="McpOAuthGrants"/>, <see cref="McpPolicyRules"/>, <see cref="McpApprovalRules"/>,
/// <see cref="McpCallLog"/>); every change is in the console audit.
/// </summary>
internal static class ConsoleMcpEndpoints
{
    private const int CallsPageSize = 50;
    private const int MaxClients = 500;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static IEndpointRouteBuilder MapConsoleMcp(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/console/mcp").ExcludeFromDescription().RequireAuthorization(ConsoleAuth.Policy).RequireConsoleAntiforgery();
        pages.MapGet("/", ClientsAsync).WithName("consoleMcp").WithSummary("MCP clients page")
            .WithDescription("The OAuth clients of /mcp with their active tokens in the environment, and the tokens themselves (never their values).").WithProblemCodes(400, "bad_request");
        pages.MapPost("/clients/revoke-tokens", RevokeClientTokensAsync).WithName("consoleRevokeMcpClientTokens").WithSummary("Revoke a client's MCP tokens")
            .WithDescription("Revokes every token the client holds in the environment, with their grants.").WithProblemCodes(400, "antiforgery_failed");
        pages.MapPost("/tokens/{id}/revoke", RevokeTokenAsync).WithName("consoleRevokeMcpToken").WithSummary("Revoke an MCP token")
            .WithDescription("Revokes the token and every token of its grant, as DELETE /v1/mcp/tokens/{id} does.").WithProblemCodes(400, "antiforgery_failed");
        pages.MapGet("/policies", PoliciesAsync).WithName("consoleMcpPolicies").WithSummary("MCP policies page")
            .WithDescription("The environment's MCP policies per key or client, and the form that sets one.").WithProblemCodes(400, "bad_request");
        pages.MapPost("/policies", PutPolicyAsync).WithName("consoleSetMcpPolicy").WithSummary("Set an MCP policy")
            .WithDescription("Creates or replaces a subject's policy with the API's rules.").WithProblemCodes(400, "antiforgery_failed");
        pages.MapPost("/policies/delete", DeletePolicyAsync).WithName("consoleDeleteMcpPolicy").WithSummary("Delete an MCP policy")
            .WithDescription("Removes a subject's policy with the API's rules.").WithProblemCodes(400, "antiforgery_failed");
        pages.MapGet("/approvals", ApprovalsAsync).WithName("consoleMcpApprovals").WithSummary("MCP approvals page")
            .WithDescription("Pending approvals of destructive MCP calls, with approve and deny, and recently decided ones.").WithProblemCodes(400, "bad_request");
        pages.MapGet("/approvals/{id}", ApprovalAsync).WithName("consoleMcpApproval").WithSummary("MCP approval page")
            .WithDescription("One approval: the link a pending tool result gives the agent to pass on.").WithProblemCodes(404, "approval_not_found");
        pages.MapPost("/approvals/{id}/approve", ApproveAsync).WithName("consoleApproveMcpApproval").WithSummary("Approve an MCP call")
            .WithDescription("Approves a pending call with the API's rules.").WithProblemCodes(400, "antiforgery_failed");
        pages.MapPost("/approvals/{id}/deny", DenyAsync).WithName("consoleDenyMcpApproval").WithSummary("Deny an MCP call")
            .WithDescription("Denies a pending call with the API's rules.").WithProblemCodes(400, "antiforgery_failed");
        pages.MapGet("/calls", CallsAsync).WithName("consoleMcpCalls").WithSummary("MCP tool calls page")
            .WithDescription("The MCP audit, newest first, filtered by tool and outcome, in keyset pages.").WithProblemCodes(400, "bad_request");
        return app;
    }

    // ---- Clients and tokens

    private static async Task<IResult> ClientsAsync(
        HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, McpOAuthGrants grants,
        IOpenIddictApplicationManager applications, string? environment, CancellationToken ct)
    {
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, environment, ct);
        return await ClientsPageAsync(http, antiforgery, scope, grants, applications, null, StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> RevokeClientTokensAsync(
        HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, McpOAuthGrants grants,
        IOpenIddictApplicationManager applications, ConsoleAccounts accounts, CancellationToken ct)
    {
        var form = await ConsolePage.FormAsync(http, ct);
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, ConsolePage.Field(form, "environment"), ct);
        var clientId = ConsolePage.Field(form, "clientId");
        var tokens = clientId is null ? [] : (await grants.ListAsync(scope.Environment, null, ct)).Where(t => t.ClientId == clientId).ToList();
        if (tokens.Count == 0)
        {
            return await ClientsPageAsync(http, antiforgery, scope, grants, applications,
                new ConsoleMessage($"Client '{Cut(clientId ?? "")}' holds no active token in environment '{scope.Environment}': nothing was revoked.", true), StatusCodes.Status404NotFound, ct);
        }

        foreach (var token in tokens)
        {
            await grants.RevokeAsync(scope.Environment, token.Id, ct);
        }

        await ConsolePage.AuditAsync(http, accounts, ConsoleActions.McpClientTokensRevoked, $"client {clientId} in {scope.Environment}: {tokens.Count} tokens", ct);
        return await ClientsPageAsync(http, antiforgery, scope, grants, applications,
            new ConsoleMessage($"Revoked {tokens.Count} token{(tokens.Count == 1 ? "" : "s")} of '{tokens[0].ClientName ?? clientId}' with their grants: its users must sign in and approve it again.", false),
            StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> RevokeTokenAsync(
        string id, HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, McpOAuthGrants grants,
        IOpenIddictApplicationManager applications, ConsoleAccounts accounts, CancellationToken ct)
    {
        var form = await ConsolePage.FormAsync(http, ct);
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, ConsolePage.Field(form, "environment"), ct);
        if (!await grants.RevokeAsync(scope.Environment, id, ct))
        {
            return await ClientsPageAsync(http, antiforgery, scope, grants, applications,
                new ConsoleMessage($"There is no MCP token '{Cut(id)}' in environment '{scope.Environment}'; nothing was revoked.", true), StatusCodes.Status404NotFound, ct);
        }

        await ConsolePage.AuditAsync(http, accounts, ConsoleActions.McpTokenRevoked, $"token {id} in {scope.Environment}", ct);
        return await ClientsPageAsync(http, antiforgery, scope, grants, applications,
            new ConsoleMessage("Token revoked with every token of its grant: the client must sign in and be approved again. /mcp refuses them from the next request.", false),
            StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> ClientsPageAsync(
        HttpContext http, IAntiforgery antiforgery, ConsoleEnvironmentScope scope, McpOAuthGrants grants, IOpenIddictApplicationManager applications,
        ConsoleMessage? message, int status, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        var tokens = await grants.ListAsync(scope.Environment, null, ct);
        var byClient = tokens.GroupBy(t => t.ClientId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var clients = new List<McpClientRowView>();
        await foreach (var application in applications.ListAsync(MaxClients, 0, ct))
        {
            var clientId = await applications.GetClientIdAsync(application, ct) ?? "unknown";
            var held = byClient.GetValueOrDefault(clientId) ?? [];
            clients.Add(new McpClientRowView(
                clientId, await applications.GetDisplayNameAsync(application, ct) ?? clientId,
                ClientMetadataDocuments.IsDocumentUrl(clientId) ? "client ID metadata document" : "dynamic registration",
                [.. await applications.GetRedirectUrisAsync(application, ct)],
                held.Count == 0 ? "none in this environment" : ConsolePage.When(held.Max(t => t.CreatedAt)), held.Count));
        }

        var rows = tokens.Select(t => new McpTokenRowView(t.Id, t.Type, t.ClientName ?? t.ClientId, t.ConnectionId, ConsolePage.When(t.CreatedAt), ConsolePage.When(t.ExpiresAt))).ToList();
        var view = new McpClientsView(scope, [.. clients.OrderByDescending(c => c.ActiveTokens).ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase)], rows, message);
        return new RazorComponentResult<McpClientsPage>(new { Frame = ConsolePage.Frame(http, antiforgery), View = view }) { StatusCode = status };
    }

    // ---- Policies

    private static async Task<IResult> PoliciesAsync(
        HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, McpPolicyStore policies, ApiKeyService keys,
        IOpenIddictApplicationManager applications, string? environment, string? subject, CancellationToken ct)
    {
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, environment, ct);
        var form = new PolicyInput(ConsolePage.Blank(subject), true, [], false, "", "", false);
        if (form.Subject is { } wanted && await policies.FindAsync(wanted, ct) is { } editing && ConsoleScope.Actor(http.User).MayManage(editing.EnvironmentId))
        {
            form = new PolicyInput(editing.Subject, editing.Toolsets is null, editing.Toolsets ?? [], editing.ReadOnly, string.Join("\n", editing.Organizations ?? []),
                string.Join("\n", editing.Projects ?? []), editing.ApproveDestructive);
        }

        return await PoliciesPageAsync(http, antiforgery, scope, policies, keys, applications, form, null, StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> PutPolicyAsync(
        HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, McpPolicyStore policies, ApiKeyService keys,
        IOpenIddictApplicationManager applications, ConsoleAccounts accounts, CancellationToken ct)
    {
        var form = await ConsolePage.FormAsync(http, ct);
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, ConsolePage.Field(form, "environment"), ct);
        var input = PolicyInput.Read(form);
        var request = new McpPolicyRequest(input.AllToolsets ? null : input.Toolsets, input.ReadOnly, Lines(input.Organizations), Lines(input.Projects), input.ApproveDestructive);
        var subject = input.Subject ?? string.Empty;
        var (policy, created, problem) = await McpPolicyRules.PutAsync(ConsoleScope.Actor(http.User), scope.Environment, subject, request, policies, keys, ct);
        if (problem is not null)
        {
            var refusal = ConsoleProblems.Detail(problem);
            await ConsolePage.AuditAsync(http, accounts, ConsoleActions.Refused, $"set MCP policy {Cut(subject)}: {refusal}", ct);
            return await PoliciesPageAsync(http, antiforgery, scope, policies, keys, applications, input, new ConsoleMessage($"The policy was not saved: {refusal}", true), problem.StatusCode, ct);
        }

        await ConsolePage.AuditAsync(http, accounts, ConsoleActions.McpPolicySet, $"{policy!.Subject} in {policy.EnvironmentId}: {Describe(policy)}", ct);
        var notice = $"Policy for {policy.Subject} {(created ? "created" : "saved")} in environment '{policy.EnvironmentId}'. It applies at once on this instance, within 5 seconds on others.";
        return await PoliciesPageAsync(http, antiforgery, scope, policies, keys, applications, new PolicyInput(null, true, [], false, "", "", false),
            new ConsoleMessage(notice, false), StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> DeletePolicyAsync(
        HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, McpPolicyStore policies, ApiKeyService keys,
        IOpenIddictApplicationManager applications, ConsoleAccounts accounts, CancellationToken ct)
    {
        var form = await ConsolePage.FormAsync(http, ct);
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, ConsolePage.Field(form, "environment"), ct);
        var subject = ConsolePage.Field(form, "subject") ?? string.Empty;
        var empty = new PolicyInput(null, true, [], false, "", "", false);
        if (await McpPolicyRules.DeleteAsync(ConsoleScope.Actor(http.User), subject, policies, ct) is { } problem)
        {
            var refusal = ConsoleProblems.Detail(problem);
            await ConsolePage.AuditAsync(http, accounts, ConsoleActions.Refused, $"delete MCP policy {Cut(subject)}: {refusal}", ct);
            return await PoliciesPageAsync(http, antiforgery, scope, policies, keys, applications, empty, new ConsoleMessage($"No policy was deleted: {refusal}", true), problem.StatusCode, ct);
        }

        await ConsolePage.AuditAsync(http, accounts, ConsoleActions.McpPolicyDeleted, subject, ct);
        return await PoliciesPageAsync(http, antiforgery, scope, policies, keys, applications, empty,
            new ConsoleMessage($"Policy for {subject} deleted: its calls are limited only by their headers again.", false), StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> PoliciesPageAsync(
        HttpContext http, IAntiforgery antiforgery, ConsoleEnvironmentScope scope, McpPolicyStore policies, ApiKeyService keys, IOpenIddictApplicationManager applications,
        PolicyInput input, ConsoleMessage? message, int status, CancellationToken ct)
    {
        var subjects = new List<(string, string)>();
        foreach (var key in (await keys.ListAsync(scope.Environment, ct)).Where(k => k.RevokedAt is null).OrderBy(k => k.Name, StringComparer.OrdinalIgnoreCase))
        {
            subjects.Add((McpPolicySubject.Key(key.Id), $"API key '{key.Name}' ({key.Role})"));
        }

        await foreach (var application in applications.ListAsync(MaxClients, 0, ct))
        {
            var clientId = await applications.GetClientIdAsync(application, ct) ?? "unknown";
            subjects.Add((McpPolicySubject.Client(clientId), $"OAuth client '{await applications.GetDisplayNameAsync(application, ct) ?? clientId}'"));
        }

        var rows = (await policies.ListAsync(scope.Environment, ct)).Select(p => new McpPolicyRowView(
            p.Subject, subjects.FirstOrDefault(x => x.Item1 == p.Subject).Item2, p.EnvironmentId, p.Toolsets is null ? "all" : string.Join(", ", p.Toolsets.Prepend(McpPolicy.AlwaysAllowedToolset).Distinct()), p.ReadOnly,
            p.Organizations is null ? "all" : string.Join(", ", p.Organizations), p.Projects is null ? "all" : string.Join(", ", p.Projects), p.ApproveDestructive,
            ConsolePage.When(p.UpdatedAt))).ToList();
        var form = new McpPolicyFormView(input.Subject, input.AllToolsets, input.Toolsets, input.ReadOnly, input.Organizations, input.Projects, input.ApproveDestructive,
            McpToolCatalog.Toolsets.Where(t => t != McpPolicy.AlwaysAllowedToolset).ToList(), subjects);
        return new RazorComponentResult<McpPoliciesPage>(new { Frame = ConsolePage.Frame(http, antiforgery), View = new McpPoliciesView(scope, rows, form, message) }) { StatusCode = status };
    }

    /// <summary>The policy form as posted: toolsets as checkboxes ("all" or the ones ticked), organisations and projects one a line.</summary>
    private sealed record PolicyInput(string? Subject, bool AllToolsets, IReadOnlyList<string> Toolsets, bool ReadOnly, string Organizations, string Projects, bool ApproveDestructive)
    {
        public static PolicyInput Read(IFormCollection form) => new(
            ConsolePage.Field(form, "subject"), form["toolsetsMode"].ToString() != "some", [.. form["toolsets"].Where(t => t is { Length: > 0 }).Select(t => t!)],
            Checked(form, "readOnly"), form["organizations"].ToString(), form["projects"].ToString(), Checked(form, "approveDestructive"));

        private static bool Checked(IFormCollection form, string name) => form[name].ToString() is "true" or "on";
    }

    /// <summary>A textarea's entries, one a line (commas also separate); none: null, which allows all.</summary>
    private static List<string>? Lines(string text)
    {
        var entries = text.Split(['\n', '\r', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        return entries.Count == 0 ? null : entries;
    }

    private static string Describe(McpPolicy p) => string.Create(CultureInfo.InvariantCulture,
        $"toolsets {(p.Toolsets is null ? "all" : string.Join(",", p.Toolsets))}, readOnly {p.ReadOnly}, organizations {(p.Organizations is null ? "all" : string.Join(",", p.Organizations))}, projects {(p.Projects is null ? "all" : string.Join(",", p.Projects))}, approveDestructive {p.ApproveDestructive}");

    // ---- Approvals

    private static async Task<IResult> ApprovalsAsync(
        HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, McpApprovalStore approvals, string? environment, CancellationToken ct)
    {
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, environment, ct);
        return await ApprovalsPageAsync(http, antiforgery, scope, approvals, null, StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> ApprovalAsync(
        string id, HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, McpApprovalStore approvals, TimeProvider clock, CancellationToken ct)
        => await ApprovalPageAsync(http, antiforgery, environments, sandbox, approvals, clock, id, null, StatusCodes.Status200OK, ct);

    private static Task<IResult> ApproveAsync(
        string id, HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, McpApprovalStore approvals, TimeProvider clock,
        ConsoleAccounts accounts, CancellationToken ct)
        => DecideAsync(id, approve: true, http, antiforgery, environments, sandbox, approvals, clock, accounts, ct);

    private static Task<IResult> DenyAsync(
        string id, HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, McpApprovalStore approvals, TimeProvider clock,
        ConsoleAccounts accounts, CancellationToken ct)
        => DecideAsync(id, approve: false, http, antiforgery, environments, sandbox, approvals, clock, accounts, ct);

    private static async Task<IResult> DecideAsync(
        string id, bool approve, HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, McpApprovalStore approvals,
        TimeProvider clock, ConsoleAccounts accounts, CancellationToken ct)
    {
        var form = await ConsolePage.FormAsync(http, ct);
        var verb = approve ? "approve" : "deny";
        var (approval, problem) = await McpApprovalRules.DecideAsync(
            id, http.User.ConsoleEnvironment(), approve, ConsoleScope.ConnectionActor(http.User), form["reason"].ToString(), approvals, clock, ct);
        ConsoleMessage message;
        int status;
        if (problem is not null)
        {
            var refusal = ConsoleProblems.Detail(problem);
            await ConsolePage.AuditAsync(http, accounts, ConsoleActions.Refused, $"{verb} MCP approval {Cut(id)}: {refusal}", ct);
            (message, status) = (new ConsoleMessage($"The call was not {(approve ? "approved" : "denied")}: {refusal}", true), problem.StatusCode);
        }
        else
        {
            await ConsolePage.AuditAsync(http, accounts, approve ? ConsoleActions.McpApprovalApproved : ConsoleActions.McpApprovalDenied,
                $"{approval!.Id}: {approval.Tool} for {approval.Subject} on {approval.ConnectionId}{(approval.Reason is { } r ? " (" + r + ")" : "")}", ct);
            message = approve
                ? new ConsoleMessage($"Approved: the agent's retry of '{approval.Tool}' with approval '{approval.Id}' runs once, if made before {ConsolePage.When(approval.ExpiresAt)}.", false)
                : new ConsoleMessage($"Denied: the agent's retry of '{approval.Tool}' is refused{(approval.Reason is { } reason ? " with your reason" : "")}.", false);
            status = StatusCodes.Status200OK;
        }

        if (ConsolePage.Field(form, "from") == "list")
        {
            var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, ConsolePage.Field(form, "environment"), ct);
            return await ApprovalsPageAsync(http, antiforgery, scope, approvals, message, status, ct);
        }

        return await ApprovalPageAsync(http, antiforgery, environments, sandbox, approvals, clock, id, message, status, ct);
    }

    private static async Task<IResult> ApprovalsPageAsync(
        HttpContext http, IAntiforgery antiforgery, ConsoleEnvironmentScope scope, McpApprovalStore approvals, ConsoleMessage? message, int status, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        var pending = await approvals.ListAsync(scope.Environment, McpApprovalStatus.Pending, null, 100, ct);
        var recent = await approvals.ListAsync(scope.Environment, null, null, 100, ct);
        var view = new McpApprovalsView(scope, [.. pending.Items.Select(Row)], [.. recent.Items.Where(a => a.Status != McpApprovalStatus.Pending).Take(50).Select(Row)], message);
        return new RazorComponentResult<McpApprovalsPage>(new { Frame = ConsolePage.Frame(http, antiforgery), View = view }) { StatusCode = status };
    }

    private static async Task<IResult> ApprovalPageAsync(
        HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, McpApprovalStore approvals, TimeProvider clock,
        string id, ConsoleMessage? message, int status, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        var approval = await approvals.FindAsync(id, http.User.ConsoleEnvironment(), ct);
        if (approval is null)
        {
            return ConsoleProblems.Page(http, antiforgery, "MCP approval", StatusCodes.Status404NotFound,
                ConsoleProblems.Detail(McpApprovalRules.NotFound(id)) + " The approvals page lists them.");
        }

        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, approval.EnvironmentId, ct);
        return new RazorComponentResult<McpApprovalPage>(new
        {
            Frame = ConsolePage.Frame(http, antiforgery),
            Scope = scope,
            Approval = Row(McpApprovalView.From(approval, clock.GetUtcNow())),
            Message = message,
        })
        {
            StatusCode = status,
        };
    }

    private static McpApprovalRowView Row(McpApprovalView a) => new(
        a.Id, a.Status, a.Tool, JsonSerializer.Serialize(a.Arguments, Indented), a.Subject, a.ConnectionId, a.Organization, ConsolePage.When(a.CreatedAt),
        ConsolePage.When(a.ExpiresAt), a.DecidedAt is null ? null : ConsolePage.When(a.DecidedAt), a.DecidedBy, a.Reason, McpApprovalRules.ConsolePath(a.Id));

    // ---- Tool calls

    private static async Task<IResult> CallsAsync(
        HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, McpCallLog log, McpToolRegistry tools,
        string? environment, string? tool, string? outcome, string? cursor, CancellationToken ct)
    {
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, environment, ct);
        var query = new McpCallsQueryView(scope, ConsolePage.Blank(tool), ConsolePage.Blank(outcome), [.. tools.Tools.Select(t => t.Name)]);
        McpCallsResultView result;
        var error = query.Tool is { Length: > 100 } ? "The tool must be a tool's name (at most 100 characters)."
            : query.Outcome is { Length: > 100 } ? "The outcome must be `ok`, `error` or an error code (at most 100 characters)."
            : null;
        if (error is not null)
        {
            result = new McpCallsResultView([], null, null, error);
        }
        else
        {
            var page = await log.ListAsync(scope.Environment, new McpCallFilter(query.Tool, null, null, query.Outcome, null, null, ConsolePage.Blank(cursor), CallsPageSize, NewestFirst: true), ct);
            var rows = page.Items.Select(c => new McpCallRowView(
                c.Id, c.Tool, c.Outcome, c.IsError, c.KeyId, c.ConnectionId, c.Organization, c.DurationMs.ToString(CultureInfo.InvariantCulture) + " ms", ConsolePage.When(c.CreatedAt),
                c.ApprovalId is null ? null : McpApprovalRules.ConsolePath(c.ApprovalId))).ToList();
            (string, string?)[] parameters = [("environment", scope.Environment), ("tool", query.Tool), ("outcome", query.Outcome)];
            result = new McpCallsResultView(
                rows,
                page.NextCursor is null ? null : ConsolePage.Url("/console/mcp/calls", [.. parameters, ("cursor", page.NextCursor)]),
                ConsolePage.Blank(cursor) is null ? null : ConsolePage.Url("/console/mcp/calls", parameters),
                null);
        }

        if (ConsolePage.IsHtmx(http))
        {
            return new RazorComponentResult<McpCallsResults>(new { Result = result });
        }

        return new RazorComponentResult<McpCallsPage>(new { Frame = ConsolePage.Frame(http, antiforgery), Query = query, Result = result })
        {
            StatusCode = error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest,
        };
    }

    private static string Cut(string value) => value.Length <= 100 ? value : value[..100] + "…";
}
