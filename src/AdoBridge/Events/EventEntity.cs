using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdoBridge.Events;

/// <summary>Something the product should hear about, stored before anyone is told.</summary>
internal sealed class EventEntity
{
    public required string Id { get; set; }
    public required string EnvironmentId { get; set; }
    public required string Type { get; set; }
    public string? ConnectionId { get; set; }
    public required string Payload { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>An access-token handout or similar sensitive action, kept for the operator.</summary>
internal sealed class AuditEntity
{
    public required string Id { get; set; }
    public required string EnvironmentId { get; set; }
    public required string Action { get; set; }
    public string? ConnectionId { get; set; }
    public required string Actor { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class EventEntityConfiguration : IEntityTypeConfiguration<EventEntity>
{
    public void Configure(EntityTypeBuilder<EventEntity> builder)
    {
        builder.ToTable("events");
        builder.HasKey(e => e.Id);
    }
}

internal sealed class AuditEntityConfiguration : IEntityTypeConfiguration<AuditEntity>
{
    public void Configure(EntityTypeBuilder<AuditEntity> builder)
    {
        builder.ToTable("audit_log");
        builder.HasKey(e => e.Id);
    }
}
