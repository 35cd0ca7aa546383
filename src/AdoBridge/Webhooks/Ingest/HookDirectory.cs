using System.Collections.Concurrent;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Webhooks.Ingest;

/// <summary>What ingest needs to know about a service hook, found by the hash of its path: who it belongs to, its secret,
/// and what it was created for (event type, collection, project, repository), so a payload can be checked against it.</summary>
internal sealed record HookTarget(string HookId, string SubscriptionId, string EnvironmentId, string ConnectionId, byte[] SecretHash, string EventType,
    string Organization, string? CollectionId, string ProjectId, string ProjectName, string? RepositoryId, string? RepositoryName);

/// <summary>
/// Finds service hooks by path hash for ingest, with a short cache: Azure DevOps posts every event of a subscription to
/// the same path, so a burst costs one lookup. Changes made in this process evict at once; other instances see a
/// deleted or repaired hook within <see cref="Ttl"/>.
/// </summary>
internal sealed class HookDirectory(IDbContextFactory<AdoBridgeDbContext> contexts, TimeProvider clock)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MissTtl = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<string, (HookTarget? Target, DateTimeOffset Until)> cache = new(StringComparer.Ordinal);

    public async Task<HookTarget?> FindAsync(byte[] pathHash, CancellationToken ct)
    {
        var key = Convert.ToHexString(pathHash);
        var now = clock.GetUtcNow();
        if (cache.TryGetValue(key, out var hit) && hit.Until > now)
        {
            return hit.Target;
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var target = await (
            from h in db.ServiceHooks.AsNoTracking()
            join s in db.Subscriptions.AsNoTracking() on h.SubscriptionId equals s.Id
            where h.PathHash == pathHash
            select new HookTarget(h.Id, s.Id, s.EnvironmentId, s.ConnectionId, h.SecretHash, h.EventType,
                s.Organization, s.CollectionId, s.ProjectId, s.ProjectName, s.RepositoryId, s.RepositoryName))
            .FirstOrDefaultAsync(ct);
        if (cache.Count > 100_000)
        {
            cache.Clear();
        }

        cache[key] = (target, now + (target is null ? MissTtl : Ttl));
        return target;
    }

    public void Forget(byte[] pathHash) => cache.TryRemove(Convert.ToHexString(pathHash), out _);
}
