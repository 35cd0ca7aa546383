using AdoBridge.Events;
using AdoBridge.Security;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.Delivery;

internal sealed record EndpointPage(IReadOnlyList<WebhookEndpointEntity> Items, string? NextCursor);

/// <summary>The product's webhook endpoints in storage. Every change clears this instance's endpoint cache.</summary>
internal sealed class WebhookEndpointService(
    IDbContextFactory<AdoBridgeDbContext> contexts,
    SecretProtector protector,
    EndpointDirectory directory,
    DeliverySignal sender,
    EventRecorder events,
    IOptionsMonitor<WebhookDeliveryOptions> options,
    TimeProvider clock)
{
    /// <summary>Creates the endpoint and returns it with its secret, the only time the secret is readable.</summary>
    public async Task<(WebhookEndpointEntity Endpoint, string Secret)> CreateAsync(string environmentId, Uri url, IEnumerable<string> filters, string? description, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var id = Ids.New("whe", clock);
        var secret = SigningKey.NewSecret();
        var entity = new WebhookEndpointEntity
        {
            Id = id,
            EnvironmentId = environmentId,
            Url = url.AbsoluteUri,
            Description = description,
            EventFilters = EventFilters.Serialize(filters),
            Status = EndpointStatus.Enabled,
            Secret = protector.Protect(secret, EndpointDirectory.SecretPurposeFor(id)),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.WebhookEndpoints.Add(entity);
        await db.SaveChangesAsync(ct);
        directory.Invalidate();
        return (entity, secret);
    }

    public async Task<int> CountAsync(string environmentId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.WebhookEndpoints.CountAsync(e => e.EnvironmentId == environmentId, ct);
    }

    public async Task<EndpointPage> ListAsync(string environmentId, string? cursor, int limit, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.WebhookEndpoints.AsNoTracking().Where(e => e.EnvironmentId == environmentId);
        if (cursor is not null)
        {
            query = query.Where(e => string.Compare(e.Id, cursor) > 0);
        }

        var items = await query.OrderBy(e => e.Id).Take(limit + 1).ToListAsync(ct);
        return items.Count > limit ? new EndpointPage(items[..limit], items[limit - 1].Id) : new EndpointPage(items, null);
    }

    public async Task<WebhookEndpointEntity?> FindAsync(string environmentId, string id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id && e.EnvironmentId == environmentId, ct);
    }

    public async Task<WebhookEndpointEntity?> UpdateAsync(string environmentId, string id, Uri? url, IEnumerable<string>? filters, string? description, string? status, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id && e.EnvironmentId == environmentId, ct);
        if (row is null)
        {
            return null;
        }

        row.Url = url?.AbsoluteUri ?? row.Url;
        row.EventFilters = filters is null ? row.EventFilters : EventFilters.Serialize(filters);
        row.Description = description ?? row.Description;
        if (status is not null && status != row.Status)
        {
            row.Status = status;

            // Enabling again is the operator saying the receiver is fixed: start with a closed circuit.
            if (status == EndpointStatus.Enabled)
            {
                row.ConsecutiveFailures = 0;
                row.CircuitOpenUntil = null;
            }
        }

        row.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        directory.Invalidate();
        sender.Notify();
        return row;
    }

    /// <summary>Deletes the endpoint. Deliveries still owed to it end as dead (they can never be sent); finished ones stay in the log.</summary>
    public async Task<bool> DeleteAsync(string environmentId, string id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var deleted = await db.WebhookEndpoints.Where(e => e.Id == id && e.EnvironmentId == environmentId).ExecuteDeleteAsync(ct);
        if (deleted == 0)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        await db.Deliveries.Where(d => d.EndpointId == id && d.Status == DeliveryStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Dead).SetProperty(d => d.CompletedAt, now)
                .SetProperty(d => d.LastError, "The webhook endpoint was deleted."), ct);
        await tx.CommitAsync(ct);
        directory.Invalidate();
        return true;
    }

    /// <summary>Issues a new secret; the current one keeps signing alongside it until the grace period ends.</summary>
    public async Task<(WebhookEndpointEntity Endpoint, string Secret)?> RotateSecretAsync(string environmentId, string id, TimeSpan? grace, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id && e.EnvironmentId == environmentId, ct);
        if (row is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var secret = SigningKey.NewSecret();
        var keep = grace ?? options.CurrentValue.SecretRotationGracePeriod;
        row.PreviousSecret = keep > TimeSpan.Zero ? row.Secret : null;
        row.PreviousSecretExpiresAt = keep > TimeSpan.Zero ? now + keep : null;
        row.Secret = protector.Protect(secret, EndpointDirectory.SecretPurposeFor(id));
        row.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        directory.Invalidate();
        return (row, secret);
    }

    /// <summary>Sends every dead or failing delivery of the endpoint again now, with a fresh retry schedule and the same webhook-id.</summary>
    public async Task<int> ReplayFailedAsync(string endpointId, DateTimeOffset? since, DateTimeOffset? until, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Deliveries.Where(d => d.EndpointId == endpointId
            && (d.Status == DeliveryStatus.Dead || (d.Status == DeliveryStatus.Pending && d.Attempts > 0)));
        if (since is not null)
        {
            query = query.Where(d => d.CreatedAt >= since);
        }

        if (until is not null)
        {
            query = query.Where(d => d.CreatedAt <= until);
        }

        var count = await DeliveryRequeue.RequeueAsync(query, clock.GetUtcNow(), ct);
        sender.Notify();
        return count;
    }

    /// <summary>Records a `webhook.test` event for this endpoint alone and queues its delivery.</summary>
    public async Task<(string EventId, string DeliveryId)> SendTestAsync(WebhookEndpointEntity endpoint, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var e = events.Add(db, endpoint.EnvironmentId, EventFilters.TestEvent, null,
            new { endpointId = endpoint.Id, message = "A test event from AdoBridge: if you can read this, your endpoint receives and can verify AdoBridge webhooks." });

        // Already dispatched: a test goes to this endpoint only, whatever the others' filters say.
        e.DispatchedAt = now;
        var delivery = DeliveryRequeue.NewDelivery(e, endpoint.Id, now, clock);
        db.Deliveries.Add(delivery);
        await db.SaveChangesAsync(ct);
        sender.Notify();
        return (e.Id, delivery.Id);
    }
}
