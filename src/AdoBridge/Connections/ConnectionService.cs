using System.Text.Json;
using AdoBridge.AzureDevOps;
using AdoBridge.Events;
using AdoBridge.Security;
using AdoBridge.Storage;
using AdoBridge.Tokens;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Connections;

/// <summary>What a finished connect flow hands over to become a connection.</summary>
internal sealed record NewConnection(
    string EnvironmentId,
    string EndUserId,
    string? EndUserDisplayName,
    string AppName,
    string AuthType,
    IReadOnlyList<string> Organizations,
    string? ServerUrl,
    DevOpsProfile? Identity,
    string? TenantId,
    string? Scopes,
    TokenResult Tokens,
    string? ReconnectConnectionId);

/// <summary>
/// Which connections to list: exact end user, status, app and auth type (the API's filters), one organisation by name, and
/// a case-insensitive search for the start of the id, end-user id, display name or identity e-mail (the admin console's search box).
/// </summary>
internal sealed record ConnectionFilter(string? EndUserId, string? Status, string? App, string? AuthType, string? Organization = null, string? Search = null);

/// <summary>A page of connections and the cursor for the next one (null on the last page).</summary>
internal sealed record ConnectionPage(IReadOnlyList<ConnectionEntity> Items, string? NextCursor);

internal sealed class ConnectionService(IDbContextFactory<AdoBridgeDbContext> contexts, TokenVault vault, SecretProtector protector, EventRecorder events, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Parsed organisation lists by their JSON text: the proxy checks every request's organisation, and keying on the text
    // itself means a changed list is simply a new key, with nothing to invalidate.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> ParsedOrganizations = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> OrganizationsOf(ConnectionEntity row)
    {
        if (ParsedOrganizations.TryGetValue(row.Organizations, out var parsed))
        {
            return parsed;
        }

        parsed = JsonSerializer.Deserialize<string[]>(row.Organizations, Json) ?? [];
        if (ParsedOrganizations.Count >= 10_000)
        {
            ParsedOrganizations.Clear();
        }

        ParsedOrganizations[row.Organizations] = parsed;
        return parsed;
    }

    /// <summary>Stores a new connection, or gives an existing one new credentials under the same id (reconnect).</summary>
    public async Task<(ConnectionEntity Connection, bool Created)> SaveAsync(NewConnection input, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        ConnectionEntity? row = null;
        if (input.ReconnectConnectionId is not null)
        {
            row = await db.Connections.FirstOrDefaultAsync(c => c.Id == input.ReconnectConnectionId && c.EnvironmentId == input.EnvironmentId, ct);
        }

        var created = row is null;
        row ??= new ConnectionEntity
        {
            Id = Ids.New("conn", clock),
            EnvironmentId = input.EnvironmentId,
            EndUserId = input.EndUserId,
            AppName = input.AppName,
            AuthType = input.AuthType,
            Status = ConnectionStatus.Active,
            Organizations = "[]",
            CreatedAt = now,
        };
        var previousApp = row.AppName;
        row.EndUserDisplayName = input.EndUserDisplayName ?? row.EndUserDisplayName;
        row.AppName = input.AppName;
        row.AuthType = input.AuthType;
        row.Status = ConnectionStatus.Active;
        row.StatusReason = null;
        row.StatusErrorCode = null;
        row.Organizations = JsonSerializer.Serialize(input.Organizations, Json);
        row.ServerUrl = input.ServerUrl;
        row.IdentityId = input.Identity?.Id;
        row.IdentityName = input.Identity?.DisplayName;
        row.IdentityEmail = input.Identity?.Email;
        row.TenantId = input.TenantId;
        row.Scopes = input.Scopes;
        row.RefreshToken = null;
        vault.Store(row, input.Tokens);
        if (input.AuthType == AuthTypes.Pat)
        {
            row.NextRefreshAt = null;
        }

        if (created)
        {
            db.Connections.Add(row);
        }

        await KeepOrganizationsAsync(db, row, input.Organizations, created, ct);

        events.Add(db, row.EnvironmentId, created ? LifecycleEvents.ConnectionCreated : LifecycleEvents.ConnectionReconnected, row.Id, new
        {
            connectionId = row.Id,
            endUserId = row.EndUserId,
            app = row.AppName,
            previousApp = created || previousApp == row.AppName ? null : previousApp,
            authType = row.AuthType,
            organizations = input.Organizations,
        });
        await db.SaveChangesAsync(ct);
        Forget(row.Id);
        return (row, created);
    }

    /// <summary>The connection's rows in connection_organizations (the console's organisation filter) become its organisations.</summary>
    private static async Task KeepOrganizationsAsync(AdoBridgeDbContext db, ConnectionEntity row, IReadOnlyList<string> organizations, bool created, CancellationToken ct)
    {
        var wanted = organizations.Select(o => o.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var stored = created ? [] : await db.ConnectionOrganizations.Where(o => o.ConnectionId == row.Id).ToListAsync(ct);
        db.ConnectionOrganizations.RemoveRange(stored.Where(o => !wanted.Contains(o.Organization)));
        wanted.ExceptWith(stored.Select(o => o.Organization));
        db.ConnectionOrganizations.AddRange(wanted.Select(o => new ConnectionOrganizationEntity { EnvironmentId = row.EnvironmentId, Organization = o, ConnectionId = row.Id }));
    }

    // How long a cached row is served as it is, and how long past that it may still be served while one call re-reads it.
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan StaleFor = TimeSpan.FromSeconds(10);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CachedRow> cache = new(StringComparer.Ordinal);

    // Counts Forget calls, so that a read which started before one does not put back the row it dropped.
    private long forgotten;

    private sealed class CachedRow(ConnectionEntity row, DateTimeOffset until)
    {
        public ConnectionEntity Row { get; } = row;
        public DateTimeOffset Until { get; } = until;
        public int Refreshing;
    }

    /// <summary>
    /// For the proxy's hot path: the row as read at most two seconds ago. A token another instance rotated meanwhile is
    /// still valid until it expires, and changes made by this instance drop the cached row at once. When the two seconds
    /// are up, one call re-reads the row in the background while the others go on with the one they have (for at most
    /// ten seconds more), so the whole load does not query the database at the same moment.
    /// </summary>
    public ValueTask<ConnectionEntity?> FindCachedAsync(string environmentId, string id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (!cache.TryGetValue(id, out var entry) || entry.Row.EnvironmentId != environmentId || !vault.IsFresh(entry.Row) || entry.Until + StaleFor <= now)
        {
            return FindAndCacheAsync(environmentId, id, now, ct);
        }

        if (entry.Until <= now && Interlocked.CompareExchange(ref entry.Refreshing, 1, 0) == 0)
        {
            // On its own thread: SQLite's "async" calls run synchronously, and this request should not wait for them.
            _ = Task.Run(() => RefreshCachedAsync(entry, now), CancellationToken.None);
        }

        return ValueTask.FromResult<ConnectionEntity?>(entry.Row);
    }

    private async ValueTask<ConnectionEntity?> FindAndCacheAsync(string environmentId, string id, DateTimeOffset now, CancellationToken ct)
    {
        var generation = Interlocked.Read(ref forgotten);
        var row = await FindAsync(environmentId, id, ct);
        if (row is not null && Interlocked.Read(ref forgotten) == generation)
        {
            if (cache.Count > 50_000)
            {
                cache.Clear();
            }

            cache[id] = new CachedRow(row, now + CacheFor);
        }

        return row;
    }

    private async Task RefreshCachedAsync(CachedRow stale, DateTimeOffset now)
    {
        var row = stale.Row;
        try
        {
            var fresh = await FindAsync(row.EnvironmentId, row.Id, CancellationToken.None);
            // Only over the entry it re-read: a Forget meanwhile removed it, and the next call reads the row again itself.
            _ = fresh is null ? cache.TryRemove(new KeyValuePair<string, CachedRow>(row.Id, stale)) : cache.TryUpdate(row.Id, new CachedRow(fresh, now + CacheFor), stale);
        }
#pragma warning disable CA1031 // a background re-read must not fault; the request path reports the error itself
        catch (Exception)
#pragma warning restore CA1031
        {
            // The database is unreachable: the next call past the stale limit reads synchronously and sees the error itself.
            Volatile.Write(ref stale.Refreshing, 0);
        }
    }

    public void Forget(string id)
    {
        Interlocked.Increment(ref forgotten);
        cache.TryRemove(id, out _);
        vault.Forget(id);
    }

    public async Task<ConnectionEntity?> FindAsync(string environmentId, string id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Connections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.EnvironmentId == environmentId, ct);
    }

    /// <summary>Keyset paging on the time-ordered id: the last page costs what the first does.</summary>
    public Task<ConnectionPage> ListAsync(string environmentId, string? endUserId, string? status, string? app, string? authType, string? cursor, int limit, CancellationToken ct)
        => ListAsync(environmentId, new ConnectionFilter(endUserId, status, app, authType), cursor, limit, ct);

    /// <summary>Keyset paging on the time-ordered id, with every filter the API and the admin console offer.</summary>
    public async Task<ConnectionPage> ListAsync(string environmentId, ConnectionFilter filter, string? cursor, int limit, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var all = db.Connections.AsNoTracking();
        if (filter.Search is not { Length: > 0 } search)
        {
            var query = Filtered(db, environmentId, all.Where(c => c.EnvironmentId == environmentId), filter, cursor);
            return PageOf(await query.OrderBy(c => c.Id).Take(limit + 1).ToListAsync(ct), limit);
        }

        // A search for a common start (many matches) is answered fastest by walking the environment in id order, one for
        // a rare start by the indexes' ranges, which must sort all they find. So the next SearchScan connections are
        // looked through in order first: when they hold a full page, that is the answer; otherwise the ranges give the
        // rest, after them. Either way a page costs a bounded scan plus what the ranges find beyond it.
        var from = search.ToLowerInvariant();
        var environment = all.Where(c => c.EnvironmentId == environmentId);
        if (cursor is not null)
        {
            environment = environment.Where(c => string.Compare(c.Id, cursor) > 0);
        }

        var scanEnd = await environment.OrderBy(c => c.Id).Select(c => c.Id).Skip(SearchScan - 1).FirstOrDefaultAsync(ct);
        // CA1862, CA1304, CA1311: lower() in SQL on both engines; EF translates neither the StringComparison nor the culture overloads.
#pragma warning disable CA1862, CA1304, CA1311
        var window = environment.Where(c => c.Id.ToLower().StartsWith(from) || c.EndUserId.ToLower().StartsWith(from)
            || (c.EndUserDisplayName != null && c.EndUserDisplayName.ToLower().StartsWith(from)) || (c.IdentityEmail != null && c.IdentityEmail.ToLower().StartsWith(from)));
#pragma warning restore CA1862, CA1304, CA1311
        if (scanEnd is not null)
        {
            window = window.Where(c => string.Compare(c.Id, scanEnd) <= 0);
        }

        var found = await Filtered(db, environmentId, window, filter, null).OrderBy(c => c.Id).Take(limit + 1).ToListAsync(ct);
        if (found.Count <= limit && scanEnd is not null)
        {
            var beyond = Filtered(db, environmentId, StartingWith(all, environmentId, search, SchemaMigrator.ProviderOf(db) == StorageProvider.Postgres), filter, scanEnd);
            found.AddRange(await beyond.OrderBy(c => c.Id).Take(limit + 1 - found.Count).ToListAsync(ct));
        }

        return PageOf(found, limit);
    }

    /// <summary>How many connections a search looks through in id order before it asks the indexes.</summary>
    internal const int SearchScan = 2_000;

    private static ConnectionPage PageOf(List<ConnectionEntity> items, int limit)
        => items.Count > limit ? new ConnectionPage(items[..limit], items[limit - 1].Id) : new ConnectionPage(items, null);

    /// <summary>The list's filters other than the search, and the cursor.</summary>
    private static IQueryable<ConnectionEntity> Filtered(AdoBridgeDbContext db, string environmentId, IQueryable<ConnectionEntity> query, ConnectionFilter filter, string? cursor)
    {
        if (filter.EndUserId is { } endUserId)
        {
            query = query.Where(c => c.EndUserId == endUserId);
        }

        if (filter.Organization is { Length: > 0 } organization)
        {
            // One whole organisation name, in any case, through its own table's index (the column is a JSON array).
            var name = organization.ToLowerInvariant();
            query = query.Where(c => db.ConnectionOrganizations.Any(o => o.EnvironmentId == environmentId && o.Organization == name && o.ConnectionId == c.Id));
        }

        if (filter.Status is { } status)
        {
            query = query.Where(c => c.Status == status);
        }

        if (filter.App is { } app)
        {
            query = query.Where(c => c.AppName == app);
        }

        if (filter.AuthType is { } authType)
        {
            query = query.Where(c => c.AuthType == authType);
        }

        if (cursor is not null)
        {
            query = query.Where(c => string.Compare(c.Id, cursor) > 0);
        }

        return query;
    }

    /// <summary>
    /// The environment's connections whose id, end-user id, display name or e-mail starts with the text, in any case: each
    /// a range of its own (environment, column) index (migration 16), so a search that matches little costs little however
    /// many connections there are. The environment is named inside each alternative, not once around them: SQLite, which
    /// keeps no statistics here, would otherwise walk the whole environment through its index rather than take the four
    /// ranges. On PostgreSQL the comparison is byte by byte (COLLATE "C"), as on SQLite, whatever the database's collation.
    /// </summary>
    private static IQueryable<ConnectionEntity> StartingWith(IQueryable<ConnectionEntity> query, string env, string text, bool postgres)
    {
        var from = text.ToLowerInvariant();
        var to = from + char.MaxValue;
        // CA1862, CA1311: lower() in SQL on both engines (ASCII on SQLite); EF translates neither the StringComparison nor the culture overloads.
#pragma warning disable CA1862, CA1304, CA1311
        return postgres
            ? query.Where(c =>
                (c.EnvironmentId == env && string.Compare(EF.Functions.Collate(c.Id, "C"), from) >= 0 && string.Compare(EF.Functions.Collate(c.Id, "C"), to) < 0)
                || (c.EnvironmentId == env && string.Compare(EF.Functions.Collate(c.EndUserId.ToLower(), "C"), from) >= 0 && string.Compare(EF.Functions.Collate(c.EndUserId.ToLower(), "C"), to) < 0)
                || (c.EnvironmentId == env && string.Compare(EF.Functions.Collate(c.EndUserDisplayName!.ToLower(), "C"), from) >= 0 && string.Compare(EF.Functions.Collate(c.EndUserDisplayName!.ToLower(), "C"), to) < 0)
                || (c.EnvironmentId == env && string.Compare(EF.Functions.Collate(c.IdentityEmail!.ToLower(), "C"), from) >= 0 && string.Compare(EF.Functions.Collate(c.IdentityEmail!.ToLower(), "C"), to) < 0))
            : query.Where(c =>
                (c.EnvironmentId == env && string.Compare(c.Id, from) >= 0 && string.Compare(c.Id, to) < 0)
                || (c.EnvironmentId == env && string.Compare(c.EndUserId.ToLower(), from) >= 0 && string.Compare(c.EndUserId.ToLower(), to) < 0)
                || (c.EnvironmentId == env && string.Compare(c.EndUserDisplayName!.ToLower(), from) >= 0 && string.Compare(c.EndUserDisplayName!.ToLower(), to) < 0)
                || (c.EnvironmentId == env && string.Compare(c.IdentityEmail!.ToLower(), from) >= 0 && string.Compare(c.IdentityEmail!.ToLower(), to) < 0));
#pragma warning restore CA1862, CA1304, CA1311
    }

    /// <summary>Deletes the connection and its sealed secrets; the event keeps a record that it existed.</summary>
    public async Task<bool> DeleteAsync(string environmentId, string id, string actor, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Connections.FirstOrDefaultAsync(c => c.Id == id && c.EnvironmentId == environmentId, ct);
        if (row is null)
        {
            return false;
        }

        db.Connections.Remove(row);
        events.Add(db, environmentId, LifecycleEvents.ConnectionDeleted, id, new { connectionId = id, endUserId = row.EndUserId, app = row.AppName });
        events.Audit(db, environmentId, "connection.deleted", id, actor);
        await db.SaveChangesAsync(ct);
        Forget(id);
        return true;
    }

    /// <summary>A valid access token for the product, recorded in the audit log.</summary>
    public async Task<AccessToken> HandOutAccessTokenAsync(ConnectionEntity connection, string actor, CancellationToken ct)
    {
        var token = await vault.GetAsync(connection, ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        events.Audit(db, connection.EnvironmentId, "connection.access_token", connection.Id, actor);
        await db.SaveChangesAsync(ct);
        return token;
    }

    public string? OpenPat(ConnectionEntity row)
        => row.AuthType == AuthTypes.Pat && row.AccessToken is not null ? protector.Unprotect(row.AccessToken, TokenVault.AccessTokenPurpose(row.Id)) : null;
}
