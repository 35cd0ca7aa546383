using System.ComponentModel;
using System.Security.Claims;
using AdoBridge.ApiKeys;
using AdoBridge.Hosting;
using AdoBridge.Mcp.Approvals;
using AdoBridge.Mcp.Policies;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Mcp;

/// <summary>Approvals of destructive MCP calls (/v1/admin/mcp/approvals, admin keys): listed, approved or denied by a person.</summary>
internal static class McpApprovalsApi
{
    public const string Route = McpApprovalRules.Route;

    public static RouteGroupBuilder MapMcpApprovalsApi(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/approvals");
        group.MapGet("/", ListAsync).WithName("listMcpApprovals").WithProblemCodes(StatusCodes.Status400BadRequest, "invalid_filter").WithSummary("List MCP approvals")
            .WithDescription("Approvals of destructive MCP calls in the key's environment (an owner key sees every environment's), newest first: who asked, the connection, tool and arguments (secrets redacted), and the status (`pending`, `approved`, `denied`, `used`, `expired`).");
        group.MapGet("/{id}", GetAsync).WithName("getMcpApproval").WithProblemCodes(StatusCodes.Status404NotFound, "approval_not_found").WithSummary("Get an MCP approval")
            .WithDescription("One approval: the link a pending tool result gives the agent to pass on.");
        group.MapPost("/{id}/approve", ApproveAsync).WithName("approveMcpApproval").WithRequestExample("""{"reason": "cleanup agreed in stand-up"}""")
            .WithProblemCodes(StatusCodes.Status404NotFound, "approval_not_found").WithProblemCodes(StatusCodes.Status409Conflict, "approval_not_pending", "approval_expired")
            .WithProblemCodes(StatusCodes.Status403Forbidden, "approval_by_requester").WithSummary("Approve an MCP call")
            .WithDescription("Approves a pending call: the agent's retry with `approval` set to this id then runs, once, if it carries the same tool and arguments, as the same caller and connection, before `expiresAt`. The key that asked cannot approve its own call.");
        group.MapPost("/{id}/deny", DenyAsync).WithName("denyMcpApproval").WithRequestExample("""{"reason": "not in this sprint"}""")
            .WithProblemCodes(StatusCodes.Status404NotFound, "approval_not_found").WithProblemCodes(StatusCodes.Status409Conflict, "approval_not_pending", "approval_expired")
            .WithProblemCodes(StatusCodes.Status403Forbidden, "approval_by_requester").WithSummary("Deny an MCP call")
            .WithDescription("Denies a pending call: the agent's retry is refused with `approval_denied` and the reason.");
        return admin;
    }

    internal sealed record DecisionRequest([property: Description("Why, shown to the agent on a denial and kept with the approval (up to 500 characters).")] string? Reason);

    private static async Task<Results<Ok<McpApprovalList>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, McpApprovalStore approvals,
        [Description("Only approvals in this state.")] string? status,
        [Description("Where the previous page ended: its `nextCursor`. Omit for the first page.")] string? cursor,
        [Description("At most this many approvals in the page (1 to 500; default 100).")] int? limit,
        CancellationToken ct)
    {
        if (limit is < 1 or > 500)
        {
            return Problem.BadRequest("invalid_filter", "`limit` must be between 1 and 500 (default 100).");
        }

        if (status is not null && !McpApprovalStatus.All.Contains(status))
        {
            return Problem.BadRequest("invalid_filter", $"`status` must be one of {string.Join(", ", McpApprovalStatus.All)}.");
        }

        return TypedResults.Ok(await approvals.ListAsync(user.IsOwner() ? null : user.EnvironmentId(), status, cursor, limit ?? 100, ct));
    }

    private static async Task<Results<Ok<McpApprovalView>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, McpApprovalStore approvals, TimeProvider clock, CancellationToken ct)
        => await approvals.FindAsync(id, user.IsOwner() ? null : user.EnvironmentId(), ct) is { } approval
            ? TypedResults.Ok(McpApprovalView.From(approval, clock.GetUtcNow()))
            : NotFound(id);

    private static Task<Results<Ok<McpApprovalView>, ProblemHttpResult>> ApproveAsync(
        string id, DecisionRequest? request, ClaimsPrincipal user, McpApprovalStore approvals, TimeProvider clock, CancellationToken ct)
        => DecideAsync(id, approve: true, request, user, approvals, clock, ct);

    private static Task<Results<Ok<McpApprovalView>, ProblemHttpResult>> DenyAsync(
        string id, DecisionRequest? request, ClaimsPrincipal user, McpApprovalStore approvals, TimeProvider clock, CancellationToken ct)
        => DecideAsync(id, approve: false, request, user, approvals, clock, ct);

    private static async Task<Results<Ok<McpApprovalView>, ProblemHttpResult>> DecideAsync(
        string id, bool approve, DecisionRequest? request, ClaimsPrincipal user, McpApprovalStore approvals, TimeProvider clock, CancellationToken ct)
    {
        var (approval, problem) = await McpApprovalRules.DecideAsync(
            id, user.IsOwner() ? null : user.EnvironmentId(), approve, McpPolicySubject.Of(user), request?.Reason, approvals, clock, ct);
        return problem is not null ? problem : TypedResults.Ok(approval!);
    }

    private static ProblemHttpResult NotFound(string id) => McpApprovalRules.NotFound(id);
}
