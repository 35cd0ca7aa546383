using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdoBridge.Storage;

/// <summary>One destructive MCP call waiting for a person's approval, or approved, denied or used (once).</summary>
internal sealed class McpApprovalEntity
{
    public required string Id { get; set; }
    public required string EnvironmentId { get; set; }

    /// <summary>Who asked: `key:&lt;id&gt;` or `client:&lt;id&gt;`; only the same subject may use the approval.</summary>
    public required string Subject { get; set; }
    public required string ConnectionId { get; set; }
    public string? Organization { get; set; }
    public required string Tool { get; set; }

    /// <summary>The arguments as the audit keeps them (secrets redacted), for the person deciding.</summary>
    public required string Arguments { get; set; }

    /// <summary>SHA-256 of the canonical arguments: the retry must carry the same ones.</summary>
    public required string ArgumentsHash { get; set; }

    /// <summary>`pending`, `approved`, `denied` or `used`.</summary>
    public required string Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

internal sealed class McpApprovalEntityConfiguration : IEntityTypeConfiguration<McpApprovalEntity>
{
    public void Configure(EntityTypeBuilder<McpApprovalEntity> builder)
    {
        builder.ToTable("mcp_approvals");
        builder.HasKey(e => e.Id);
    }
}
