using System.Globalization;
using System.Text.Json;
using AdoBridge.Hosting;
using AdoBridge.Mcp.Approvals;
using AdoBridge.Mcp.Policies;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;

namespace AdoBridge.Mcp;

/// <summary>
/// Approvals the server enforces, for a destructive tool under a policy that asks for them. Without an `approval` argument
/// the call creates a pending approval and answers with its id and link; with one, it runs only if a person approved that
/// approval, for this subject, connection, tool and arguments (hash), before it expired, and only once. Whatever the
/// client's own confirmation says, nothing else lets the call through.
/// </summary>
internal sealed class McpApprovalGate(McpApprovalStore approvals, PublicUrls urls, IOptionsMonitor<McpOptions> options, TimeProvider clock)
{
    public const string Pending = "approval_pending";

    /// <summary>What the gate decided: a result to answer instead of running the tool (null: run it), and the approval involved.</summary>
    internal sealed record Verdict(CallToolResult? Result, McpToolResults.Outcome? Outcome, string? ApprovalId);

    public async Task<Verdict> CheckAsync(McpPolicy policy, string environmentId, McpTool tool, string connection,
        IReadOnlyDictionary<string, JsonElement> arguments, CancellationToken ct)
    {
        var hash = McpArgumentsHash.Of(arguments);
        if (!arguments.TryGetValue(McpArgumentsHash.ApprovalArgument, out var given) || given.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            var organization = arguments.TryGetValue(McpToolInput.OrganizationArgument, out var org) && org.ValueKind == JsonValueKind.String ? org.GetString() : null;
            var created = await approvals.CreateAsync(environmentId, policy.Subject, connection, organization is { Length: <= 256 } ? organization : null, tool.Name,
                McpCallLog.Redact(arguments), hash, options.CurrentValue.ApprovalLifetime, ct);
            return PendingVerdict(policy, tool, created.Id, created.ExpiresAt, isNew: true);
        }

        if (given.ValueKind != JsonValueKind.String || given.GetString() is not { Length: > 0 and <= 64 } id)
        {
            return Refuse(null, 400, "invalid_argument", "`approval` must be the approval id (mcpa_…) that the pending result gave.");
        }

        var approval = await approvals.FindAsync(id, environmentId, ct);
        if (approval is null)
        {
            return Refuse(null, 404, "approval_not_found", $"There is no approval '{id}'. Call '{tool.Name}' without `approval` to ask for one.");
        }

        var mismatch = approval.Subject != policy.Subject ? "was asked for by another caller"
            : approval.Tool != tool.Name ? $"is for '{approval.Tool}', not '{tool.Name}'"
            : approval.ConnectionId != connection ? "is for another connection"
            : approval.ArgumentsHash != hash ? "is for other arguments: retry with exactly the arguments of the call that asked for it (the approval id aside)"
            : null;
        if (mismatch is not null)
        {
            return Refuse(id, 403, "approval_mismatch", $"Approval '{id}' {mismatch}. To make a different call, call '{tool.Name}' without `approval` and have that one approved.");
        }

        switch (McpApprovalStatus.Of(approval, clock.GetUtcNow()))
        {
            case McpApprovalStatus.Pending:
                return PendingVerdict(policy, tool, id, approval.ExpiresAt, isNew: false);
            case McpApprovalStatus.Denied:
                return Refuse(id, 403, "approval_denied", $"Approval '{id}' was denied{(approval.Reason is { Length: > 0 } reason ? ": " + reason : ".")} Do not make this call.");
            case McpApprovalStatus.Expired:
                return Refuse(id, 403, "approval_expired", $"Approval '{id}' expired at {approval.ExpiresAt:u}. Call '{tool.Name}' without `approval` to ask again.");
            case McpApprovalStatus.Used:
                return Refuse(id, 409, "approval_used", $"Approval '{id}' was already used; an approval runs its call once. Call '{tool.Name}' without `approval` to ask again.");
        }

        return await approvals.RedeemAsync(id, ct)
            ? new Verdict(null, null, id)
            : Refuse(id, 409, "approval_used", $"Approval '{id}' was used or expired just now. Call '{tool.Name}' without `approval` to ask again.");
    }

    private Verdict PendingVerdict(McpPolicy policy, McpTool tool, string id, DateTimeOffset expiresAt, bool isNew)
    {
        // The link leads a person to the approval's console page; an operator's script can use the admin API instead.
        var link = urls.BaseUrl.TrimEnd('/') + McpApprovalRules.ConsolePath(id);
        var api = urls.BaseUrl.TrimEnd('/') + McpApprovalRules.Route + "/" + id;
        var headline = string.Create(CultureInfo.InvariantCulture,
            $"Approval needed: the MCP policy for {policy.Subject} requires a person's approval for '{tool.Name}', which is destructive. {(isNew ? "A request was made" : "The request is still waiting")}: a person approves it in the AdoBridge console at {link} (or with an admin key: POST {api}/approve) before {expiresAt:u}. Then call '{tool.Name}' again with the same arguments and \"approval\": \"{id}\". Your own or your client's confirmation is not enough.");
        var (result, outcome) = McpToolResults.Error(StatusCodes.Status202Accepted, Pending,
            $"Waiting for a person to approve '{tool.Name}' ({link}); retry with `approval` set to '{id}' once approved.",
            new Dictionary<string, object?> { ["approvalId"] = id, ["approvalUrl"] = link, ["approvalApiUrl"] = api, ["expiresAt"] = expiresAt, ["retryable"] = true }, headline);
        return new Verdict(result, outcome, id);
    }

    private static Verdict Refuse(string? id, int status, string code, string detail)
    {
        var (result, outcome) = McpToolResults.Error(status, code, detail, id is null ? null : new Dictionary<string, object?> { ["approvalId"] = id });
        return new Verdict(result, outcome, id);
    }
}
