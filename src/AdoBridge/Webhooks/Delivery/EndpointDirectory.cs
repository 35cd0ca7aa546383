using System.Collections.Concurrent;
using AdoBridge.Security;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>An enabled endpoint as the dispatcher matches it.</summary>
internal sealed record EndpointRoute(string Id, IReadOnlyList<string> Filters);

/// <summary>What the sender needs to sign and send: the URL and the signing keys (the previous one only while its grace lasts).</summary>
internal sealed record EndpointTarget(string Id, string EnvironmentId, Uri Url, bool Enabled, byte[] Key, byte[]? PreviousKey, DateTimeOffset? PreviousKeyExpiresAt);

/// <summary>
/// A short-lived in-memory copy of the endpoints, because they change rarely and every event and send needs them.
/// Changes made through this instance's API clear it at once; other instances pick them up within the cache duration.
/// </summary>
internal sealed class EndpointDirectory(IDbContextFactory<AdoBridgeDbContext> contexts, SecretProtector protector, IOptionsMonitor<WebhookDeliveryOptions> options, TimeProvider clock)
{
    public const string SecretPurpose = "webhook-endpoint-secret";

    private readonly ConcurrentDictionary<string, (DateTimeOffset LoadedAt, IReadOnlyList<EndpointRoute> Routes)> routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset LoadedAt, EndpointTarget? Target)> targets = new(StringComparer.Ordinal);
    private long generation;

    public static string SecretPurposeFor(string endpointId) => $"{SecretPurpose}:{endpointId}";

    /// <summary>Forgets everything, so the next lookups read the database (called on every endpoint change in this process).</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref generation);
        routes.Clear();
        targets.Clear();
    }

    public async Task<IReadOnlyList<EndpointRoute>> RoutesAsync(string environmentId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (routes.TryGetValue(environmentId, out var cached) && now - cached.LoadedAt < options.CurrentValue.EndpointCacheDuration)
        {
            return cached.Routes;
        }

        var seen = Interlocked.Read(ref generation);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.WebhookEndpoints.AsNoTracking()
            .Where(e => e.EnvironmentId == environmentId && e.Status == EndpointStatus.Enabled)
            .OrderBy(e => e.Id).Select(e => new { e.Id, e.EventFilters }).ToListAsync(ct);
        var loaded = rows.Select(r => new EndpointRoute(r.Id, EventFilters.Parse(r.EventFilters))).ToList();
        if (seen == Interlocked.Read(ref generation))
        {
            routes[environmentId] = (now, loaded);
        }

        return loaded;
    }

    /// <summary>The endpoint's URL and keys, or null when it was deleted.</summary>
    public async Task<EndpointTarget?> TargetAsync(string endpointId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (targets.TryGetValue(endpointId, out var cached) && now - cached.LoadedAt < options.CurrentValue.EndpointCacheDuration)
        {
            return cached.Target;
        }

        var seen = Interlocked.Read(ref generation);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == endpointId, ct);
        var target = row is null ? null : new EndpointTarget(row.Id, row.EnvironmentId, new Uri(row.Url), row.Status == EndpointStatus.Enabled,
            SigningKey.Decode(protector.Unprotect(row.Secret, SecretPurposeFor(row.Id))),
            row.PreviousSecret is null ? null : SigningKey.Decode(protector.Unprotect(row.PreviousSecret, SecretPurposeFor(row.Id))),
            row.PreviousSecretExpiresAt);
        if (seen == Interlocked.Read(ref generation))
        {
            targets[endpointId] = (now, target);
        }

        return target;
    }
}

internal static class EndpointStatus
{
    public const string Enabled = "enabled";
    public const string Disabled = "disabled";
}
