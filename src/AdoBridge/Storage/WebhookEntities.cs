using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdoBridge.Storage;

/// <summary>The product's request for Azure DevOps events on one project (optionally one repository) of a connection.</summary>
internal sealed class SubscriptionEntity
{
    public required string Id { get; set; }
    public required string EnvironmentId { get; set; }
    public required string ConnectionId { get; set; }
    public required string Organization { get; set; }
    public required string ProjectId { get; set; }
    public required string ProjectName { get; set; }
    public string? RepositoryId { get; set; }
    public string? RepositoryName { get; set; }

    /// <summary>Azure DevOps' id of the organisation's collection (connectionData's instanceId), which every payload names
    /// in resourceContainers.collection; null until learnt (subscriptions made before it was kept learn it at their next check).</summary>
    public string? CollectionId { get; set; }

    /// <summary><see cref="SubscriptionStatus"/>.</summary>
    public required string Status { get; set; }
    public string? StatusReason { get; set; }

    /// <summary>Set when a service hook was found disabled, on probation or gone: events since then may not have arrived.</summary>
    public DateTimeOffset? EventsMayBeMissedSince { get; set; }
    public DateTimeOffset? LastCheckedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal static class SubscriptionStatus
{
    public const string Active = "active";
    public const string Degraded = "degraded";
    public const string Failed = "failed";
}

/// <summary>One Azure DevOps service-hook subscription (one event type) and the ingest credentials it posts with.</summary>
internal sealed class ServiceHookEntity
{
    public required string Id { get; set; }
    public required string SubscriptionId { get; set; }
    public required string EnvironmentId { get; set; }
    public required string ConnectionId { get; set; }
    public required string EventType { get; set; }
    public required string ResourceVersion { get; set; }
    public string? AdoSubscriptionId { get; set; }

    /// <summary>Azure DevOps' status as last read back (`enabled`, `onProbation`, `disabledBySystem`, …).</summary>
    public string? AdoStatus { get; set; }

    /// <summary>SHA-256 of the ingest path segment; the path itself is only ever in Azure DevOps' subscription.</summary>
    public required byte[] PathHash { get; set; }

    /// <summary>SHA-256 of the secret, compared in constant time at ingest.</summary>
    public required byte[] SecretHash { get; set; }

    /// <summary>The secret, sealed, for re-sending when the subscription is repaired.</summary>
    public required string Secret { get; set; }
    public DateTimeOffset? LastEventAt { get; set; }
    public DateTimeOffset? LastCheckedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Where the product receives events, with its event filters and sealed signing secret(s).</summary>
internal sealed class WebhookEndpointEntity
{
    public required string Id { get; set; }
    public required string EnvironmentId { get; set; }
    public required string Url { get; set; }
    public string? Description { get; set; }

    /// <summary>JSON array of filters: exact types (`pull_request.created`) or prefixes (`pull_request.*`), or `*`.</summary>
    public required string EventFilters { get; set; }

    /// <summary>`enabled` or `disabled`.</summary>
    public required string Status { get; set; }
    public required string Secret { get; set; }
    public string? PreviousSecret { get; set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }
    public int ConsecutiveFailures { get; set; }
    public DateTimeOffset? CircuitOpenUntil { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One event owed to one endpoint.</summary>
internal sealed class DeliveryEntity
{
    public required string Id { get; set; }
    public required string EnvironmentId { get; set; }
    public required string EventId { get; set; }
    public required string EndpointId { get; set; }

    /// <summary>`pending`, `succeeded` or `dead`.</summary>
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>One try at a delivery and the answer it got.</summary>
internal sealed class DeliveryAttemptEntity
{
    public required string Id { get; set; }
    public required string DeliveryId { get; set; }
    public required string EventId { get; set; }
    public required string EndpointId { get; set; }
    public int Attempt { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public int DurationMs { get; set; }
    public int? StatusCode { get; set; }

    /// <summary>`succeeded`, `failed`, `timeout` or `error`.</summary>
    public required string Outcome { get; set; }
    public string? Error { get; set; }
    public string? ResponseBody { get; set; }
}

internal sealed class WebhookEntitiesConfiguration :
    IEntityTypeConfiguration<SubscriptionEntity>, IEntityTypeConfiguration<ServiceHookEntity>, IEntityTypeConfiguration<WebhookEndpointEntity>,
    IEntityTypeConfiguration<DeliveryEntity>, IEntityTypeConfiguration<DeliveryAttemptEntity>
{
    public void Configure(EntityTypeBuilder<SubscriptionEntity> builder) => builder.ToTable("subscriptions").HasKey(e => e.Id);

    public void Configure(EntityTypeBuilder<ServiceHookEntity> builder)
    {
        builder.ToTable("service_hooks").HasKey(e => e.Id);

        // Known to EF so that it inserts a subscription before its hooks and deletes them in the right order.
        builder.HasOne<SubscriptionEntity>().WithMany().HasForeignKey(e => e.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<WebhookEndpointEntity> builder) => builder.ToTable("webhook_endpoints").HasKey(e => e.Id);

    public void Configure(EntityTypeBuilder<DeliveryEntity> builder) => builder.ToTable("deliveries").HasKey(e => e.Id);

    public void Configure(EntityTypeBuilder<DeliveryAttemptEntity> builder) => builder.ToTable("delivery_attempts").HasKey(e => e.Id);
}
