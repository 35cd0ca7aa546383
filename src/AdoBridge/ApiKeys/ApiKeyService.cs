using System.Collections.Concurrent;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.ApiKeys;

/// <summary>Who a valid key speaks for.</summary>
internal sealed record ApiKeyIdentity(string KeyId, string EnvironmentId, string Role);

internal static class ApiKeyRoles
{
    /// <summary>Everything: apps, environments, encryption keys, and the keys and data of every environment.</summary>
    public const string Owner = "owner";

    /// <summary>Its own environment only: what a product key does, plus that environment's API keys (not owner keys).</summary>
    public const string Admin = "admin";

    /// <summary>The product back end: connections, proxy, events of its environment; not `/v1/admin`.</summary>
    public const string Product = "product";

    public static bool IsValid(string role) => role is Owner or Admin or Product;
}

/// <summary>Creates, checks and revokes API keys. Checks are cached briefly so the hot path does not read the database each call.</summary>
internal sealed class ApiKeyService(IDbContextFactory<AdoBridgeDbContext> contexts, TimeProvider clock, ApiKeyUsage usage)
{
    // A checked key is trusted for ten seconds from when its row was read: a revocation made on another instance takes
    // effect within that. In the last two of them one call re-reads the row in the background, so under steady traffic
    // the entry is renewed before it runs out and no request waits for the database (nor do many at once).
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RefreshAhead = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<string, CachedKey> cache = new(StringComparer.Ordinal);
    private long revocations;

    /// <summary>A key's row as read (null: no such key) until a time. A class: replacing one compares by reference.</summary>
    private sealed class CachedKey(ApiKeyEntity? row, DateTimeOffset until)
    {
        public ApiKeyEntity? Row { get; } = row;
        public ApiKeyIdentity? Identity { get; } = row is null ? null : new ApiKeyIdentity(row.Id, row.EnvironmentId, row.Role);
        public DateTimeOffset Until { get; } = until;
        public int Refreshing;
    }

    public async Task<(ApiKeyEntity Row, string Key)> CreateAsync(string environmentId, string name, string role, string? chosenKey = null, CancellationToken ct = default)
    {
        string id;
        var key = chosenKey ?? ApiKeyFormat.NewKey(out id);
        id = ApiKeyFormat.IdOf(key);
        var row = new ApiKeyEntity
        {
            Id = id,
            EnvironmentId = environmentId,
            Name = name,
            Role = role,
            Hash = ApiKeyFormat.Hash(key),
            CreatedAt = clock.GetUtcNow(),
        };
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(ct);
        return (row, key);
    }

    /// <summary>Who the key speaks for, or null. A ValueTask: nearly every call is answered from the cache without awaiting.</summary>
    public ValueTask<ApiKeyIdentity?> AuthenticateAsync(string presented, CancellationToken ct = default)
    {
        var id = ApiKeyFormat.IdOf(presented);
        var now = clock.GetUtcNow();
        if (!cache.TryGetValue(id, out var entry) || entry.Until < now)
        {
            return LoadAndCheckAsync(presented, id, ct);
        }

        // Unknown ids (a scanner's guesses) are not renewed: they run out and are read again only if asked for again.
        if (entry.Row is not null && entry.Until - RefreshAhead <= now && Interlocked.CompareExchange(ref entry.Refreshing, 1, 0) == 0)
        {
            // On its own thread: SQLite's "async" calls run synchronously, and this request should not wait for them.
            _ = Task.Run(() => RefreshAsync(id, entry), CancellationToken.None);
        }

        return ValueTask.FromResult(Check(presented, entry));
    }

    private ApiKeyIdentity? Check(string presented, CachedKey entry)
    {
        if (entry.Row is { RevokedAt: null } row && ApiKeyFormat.Matches(presented, row.Hash))
        {
            usage.Used(row.Id);
            return entry.Identity;
        }

        return null;
    }

    private async ValueTask<ApiKeyIdentity?> LoadAndCheckAsync(string presented, string id, CancellationToken ct)
    {
        var generation = Interlocked.Read(ref revocations);
        var entry = await ReadAsync(id, ct);
        if (cache.Count > 10_000)
        {
            // Random keys from a scanner must not grow the cache without bound.
            cache.Clear();
        }

        // A row read before a revocation on this instance is used for this call only, never cached over it.
        if (Interlocked.Read(ref revocations) == generation)
        {
            cache[id] = entry;
        }

        return Check(presented, entry);
    }

    private async Task<CachedKey> ReadAsync(string id, CancellationToken ct)
    {
        // The time is taken before the read, so an entry never outlives the row it holds by more than CacheFor.
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        return new CachedKey(await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, ct), now + CacheFor);
    }

    /// <summary>
    /// Renews an entry that is about to run out. Only if it is still the one cached: a revocation on this instance
    /// removes it, and the row read here may be older than that.
    /// </summary>
    private async Task RefreshAsync(string id, CachedKey stale)
    {
        try
        {
            cache.TryUpdate(id, await ReadAsync(id, CancellationToken.None), stale);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The database is away: the entry runs out as it would have, and the next call reads the row itself (and
            // gets the error, answered like any other).
            Volatile.Write(ref stale.Refreshing, 0);
        }
    }

    public async Task<IReadOnlyList<ApiKeyEntity>> ListAsync(string? environmentId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.ApiKeys.AsNoTracking();
        if (environmentId is not null)
        {
            query = query.Where(k => k.EnvironmentId == environmentId);
        }

        return await query.OrderBy(k => k.CreatedAt).ToListAsync(ct);
    }

    public async Task<bool> RevokeAsync(string id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var changed = await db.ApiKeys.Where(k => k.Id == id && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), ct);
        Interlocked.Increment(ref revocations);
        cache.TryRemove(id, out _);
        return changed > 0 || await db.ApiKeys.AnyAsync(k => k.Id == id, ct);
    }

    public async Task<ApiKeyEntity?> FindAsync(string id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, ct);
    }
}
