using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdoBridge.Storage;

/// <summary>The operator's MCP policy for one caller (`key:&lt;id&gt;` or `client:&lt;id&gt;`); list columns are JSON arrays, null for "all".</summary>
internal sealed class McpPolicyEntity
{
    public required string Subject { get; set; }
    public required string EnvironmentId { get; set; }
    public string? Toolsets { get; set; }
    public bool ReadOnly { get; set; }
    public string? Organizations { get; set; }
    public string? Projects { get; set; }
    public bool ApproveDestructive { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class McpPolicyEntityConfiguration : IEntityTypeConfiguration<McpPolicyEntity>
{
    public void Configure(EntityTypeBuilder<McpPolicyEntity> builder)
    {
        builder.ToTable("mcp_policies");
        builder.HasKey(e => e.Subject);
    }
}
