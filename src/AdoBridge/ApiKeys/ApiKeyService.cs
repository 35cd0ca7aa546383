using System.Collections.Concurrent;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.ApiKeys;

/// <summary>Who a valid key speaks for.</summary>
internal sealed record ApiKeyIdentity(string KeyId, string EnvironmentId, string Role);

internal static class ApiKeyRoles
{
    /// <summary>Everything, including `/v1/admin` (apps, keys, environments).</summary>
    public const string Admin = "admin";

    /// <summary>The product back end: connections, proxy, events of its environment; not `/v1/admin`.</summary>
    public const string Product = "product";

    public static bool IsValid(string role) => role is Admin or Product;
}

/// <summary>Creates, checks and revokes API keys. Checks are cached briefly so the hot path does not read the database each call.</summary>
internal sealed class ApiKeyService(IDbContextFactory<AdoBridgeDbContext> contexts, TimeProvider clock)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (ApiKeyEntity? Row, ApiKeyIdentity? Identity, DateTimeOffset Until)> cache = new(StringComparer.Ordinal);

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
        return cache.TryGetValue(id, out var entry) && entry.Until >= clock.GetUtcNow()
            ? ValueTask.FromResult(Check(presented, entry))
            : LoadAndCheckAsync(presented, id, ct);
    }

    private static ApiKeyIdentity? Check(string presented, (ApiKeyEntity? Row, ApiKeyIdentity? Identity, DateTimeOffset Until) entry)
        => entry.Row is { RevokedAt: null } row && ApiKeyFormat.Matches(presented, row.Hash) ? entry.Identity : null;

    private async ValueTask<ApiKeyIdentity?> LoadAndCheckAsync(string presented, string id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        ApiKeyEntity? row;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            row = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, ct);
        }

        var entry = (row, row is null ? null : new ApiKeyIdentity(row.Id, row.EnvironmentId, row.Role), now + CacheFor);
        if (cache.Count > 10_000)
        {
            // Random keys from a scanner must not grow the cache without bound.
            cache.Clear();
        }

        cache[id] = entry;
        return Check(presented, entry);
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
        cache.TryRemove(id, out _);
        return changed > 0 || await db.ApiKeys.AnyAsync(k => k.Id == id, ct);
    }

    public async Task<ApiKeyEntity?> FindAsync(string id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, ct);
    }
}
