using System.Text.Json;
using AdoBridge.Storage;

namespace AdoBridge.Mcp.Approvals;

/// <summary>An approval as the admin API shows it; `status` is `pending`, `approved`, `denied`, `used` or `expired` (past `expiresAt`, unused).</summary>
internal sealed record McpApprovalView(
    string Id, string Status, string Subject, string ConnectionId, string? Organization, string Tool, JsonElement Arguments,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? DecidedAt, string? DecidedBy, string? Reason, DateTimeOffset? UsedAt)
{
    public static McpApprovalView From(McpApprovalEntity e, DateTimeOffset now) => new(
        e.Id, McpApprovalStatus.Of(e, now), e.Subject, e.ConnectionId, e.Organization, e.Tool, JsonDocument.Parse(e.Arguments).RootElement.Clone(),
        e.CreatedAt, e.ExpiresAt, e.DecidedAt, e.DecidedBy, e.Reason, e.UsedAt);
}

/// <summary>A page of approvals, newest first; pass `nextCursor` back as `cursor` for the next page (null on the last).</summary>
internal sealed record McpApprovalList(IReadOnlyList<McpApprovalView> Items, string? NextCursor);

internal static class McpApprovalStatus
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Denied = "denied";
    public const string Used = "used";
    public const string Expired = "expired";

    public static readonly IReadOnlyList<string> All = [Pending, Approved, Denied, Used, Expired];

    /// <summary>The status a person sees: a pending or approved approval past its time is expired.</summary>
    public static string Of(McpApprovalEntity e, DateTimeOffset now)
        => e.Status is Pending or Approved && e.ExpiresAt <= now ? Expired : e.Status;
}
