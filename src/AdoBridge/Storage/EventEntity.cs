using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdoBridge.Storage;

/// <summary>Something the product should hear about, stored before anyone is told.</summary>
internal sealed class EventEntity
{
    public required string Id { get; set; }
    public required string EnvironmentId { get; set; }
    public required string Type { get; set; }
    public string? ConnectionId { get; set; }

    /// <summary>The normalised event data (JSON) the product receives.</summary>
    public required string Payload { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary><see cref="EventSources.AdoBridge"/> for lifecycle events, <see cref="EventSources.AzureDevOps"/> for service hooks.</summary>
    public string Source { get; set; } = EventSources.AdoBridge;

    /// <summary>Azure DevOps' own event id (`azureDevOpsEventId`): unique per connection, so a retried notification is stored
    /// once, while every connection whose hooks it reaches gets its own event.</summary>
    public string? SourceEventId { get; set; }

    /// <summary>Azure DevOps' event type (`git.pullrequest.created`, …).</summary>
    public string? SourceEventType { get; set; }
    public string? SubscriptionId { get; set; }
    public string? Organization { get; set; }
    public string? Project { get; set; }
    public string? Repository { get; set; }

    /// <summary>The body Azure DevOps sent, exactly as received.</summary>
    public string? RawPayload { get; set; }

    /// <summary>When the dispatcher created this event's deliveries; null until then.</summary>
    public DateTimeOffset? DispatchedAt { get; set; }

    /// <summary>The W3C traceparent of the ingest request, which its deliveries continue; null when nothing was traced.</summary>
    public string? TraceParent { get; set; }

    /// <summary>Position on the event stream, in commit order (see migration 0009); null until it is numbered.</summary>
    public long? Seq { get; set; }
}

/// <summary>A replay of an event, shown on the event stream as the event again, flagged as a replay.</summary>
internal sealed class EventReplayEntity
{
    public required string Id { get; set; }
    public required string EventId { get; set; }
    public required string EnvironmentId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Position on the event stream, shared with <see cref="EventEntity.Seq"/>; null until it is numbered.</summary>
    public long? Seq { get; set; }
}

internal static class EventSources
{
    public const string AdoBridge = "adobridge";
    public const string AzureDevOps = "azure_devops";
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

internal sealed class EventReplayEntityConfiguration : IEntityTypeConfiguration<EventReplayEntity>
{
    public void Configure(EntityTypeBuilder<EventReplayEntity> builder)
    {
        builder.ToTable("event_replays");
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
