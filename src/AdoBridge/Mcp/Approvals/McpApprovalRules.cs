using AdoBridge.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Mcp.Approvals;

/// <summary>
/// The rules for deciding an approval, shared by the admin API (/v1/admin/mcp/approvals) and the console so there is one
/// copy: the reason's limits, and what each refusal says (not found, already decided, expired, the requester's own call).
/// </summary>
internal static class McpApprovalRules
{
    public const string Route = "/v1/admin/mcp/approvals";

    /// <summary>Where a person decides an approval: its console page.</summary>
    public static string ConsolePath(string id) => "/console/mcp/approvals/" + Uri.EscapeDataString(id);

    /// <summary>
    /// Approves or denies a pending approval in <paramref name="environmentId"/> (every environment's when null) as
    /// <paramref name="decidedBy"/>; returns the decided approval or the refusal.
    /// </summary>
    public static async Task<(McpApprovalView? Approval, ProblemHttpResult? Problem)> DecideAsync(
        string id, string? environmentId, bool approve, string decidedBy, string? reason, McpApprovalStore approvals, TimeProvider clock, CancellationToken ct)
    {
        reason = reason?.Trim();
        if (reason is { Length: > 500 } || reason?.Any(c => char.IsControl(c) && c != '\n') == true)
        {
            return (null, Problem.BadRequest("invalid_request", "`reason` must be at most 500 characters, without control characters."));
        }

        var (decision, approval) = await approvals.DecideAsync(id, environmentId, approve, decidedBy, reason is { Length: > 0 } ? reason : null, ct);
        return decision switch
        {
            McpDecision.Decided => (McpApprovalView.From(approval!, clock.GetUtcNow()), null),
            McpDecision.OwnRequest => (null, Problem.Create(StatusCodes.Status403Forbidden, "approval_by_requester", "Not allowed",
                $"Approval '{id}' was asked for by {approval!.Subject}, the key making this request: a caller cannot approve or deny its own call. Decide it with another admin key (or in the console).")),
            McpDecision.Expired => (null, Problem.Conflict("approval_expired", $"Approval '{id}' expired at {approval!.ExpiresAt:u}; the agent must ask again.")),
            McpDecision.NotPending => (null, Problem.Conflict("approval_not_pending",
                $"Approval '{id}' is already {McpApprovalStatus.Of(approval!, clock.GetUtcNow())}; only a pending approval can be decided.")),
            _ => (null, NotFound(id)),
        };
    }

    public static ProblemHttpResult NotFound(string id)
        => Problem.NotFound("approval_not_found", $"There is no MCP approval '{(id.Length <= 64 ? id : id[..64])}' in your environment: GET {Route} lists them.");
}
