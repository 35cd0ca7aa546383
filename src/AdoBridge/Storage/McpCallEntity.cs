using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdoBridge.Storage;

/// <summary>One MCP tool call, as the audit keeps it: who (API key, connection), what (tool, redacted arguments), and how it went.</summary>
internal sealed class McpCallEntity
{
    public required string Id { get; set; }
    public required string EnvironmentId { get; set; }
    public required string KeyId { get; set; }
    public string? ConnectionId { get; set; }
    public string? Organization { get; set; }
    public required string Tool { get; set; }

    /// <summary>The call's arguments as JSON, with secret-looking values redacted and long values cut.</summary>
    public required string Arguments { get; set; }

    /// <summary>`ok`, or the problem code the tool error carried.</summary>
    public required string Outcome { get; set; }
    public bool IsError { get; set; }

    /// <summary>The status of the last Azure DevOps call the tool made (null when it made none).</summary>
    public int? AzureStatus { get; set; }
    public int AzureCalls { get; set; }
    public int DurationMs { get; set; }

    /// <summary>The approval the call asked for (its outcome `approval_pending`) or used.</summary>
    public string? ApprovalId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class McpCallEntityConfiguration : IEntityTypeConfiguration<McpCallEntity>
{
    public void Configure(EntityTypeBuilder<McpCallEntity> builder)
    {
        builder.ToTable("mcp_calls");
        builder.HasKey(e => e.Id);
    }
}
