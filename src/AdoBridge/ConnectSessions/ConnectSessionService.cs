using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AdoBridge.Hosting;
using AdoBridge.Security;
using AdoBridge.Storage;
using AdoBridge.AzureDevOps;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdoBridge.ConnectSessions;

/// <summary>The part of a connect flow that must survive between the browser's requests; stored sealed.</summary>
internal sealed class ConnectFlowState
{
    /// <summary>The link's token, so error pages reached from the callback can offer "Try again".</summary>
    public string? Token { get; set; }
    public string? AppName { get; set; }
    public string? CodeVerifier { get; set; }
    public string? AccessToken { get; set; }
    public string? RefreshToken { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public string? Scope { get; set; }
    public DevOpsProfile? Profile { get; set; }
    public List<DevOpsOrganization>? Organizations { get; set; }
}

/// <summary>Creates connect links and walks them through their single use.</summary>
internal sealed class ConnectSessionService(IDbContextFactory<AdoBridgeDbContext> contexts, SecretProtector protector, PublicUrls urls, IOptionsMonitor<AdoBridgeOptions> options, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));

    public static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public string UrlFor(string token) => $"{urls.BaseUrl}/connect/{token}";

    public async Task<(ConnectSessionEntity Session, string Url)> CreateAsync(string environmentId, string endUserId, string? displayName, string? app, string? returnUrl, string? reconnectId, CancellationToken ct)
    {
        var token = NewSecret();
        var now = clock.GetUtcNow();
        var session = new ConnectSessionEntity
        {
            Id = Ids.New("cs", clock),
            EnvironmentId = environmentId,
            TokenHash = Hash(token),
            EndUserId = endUserId,
            EndUserDisplayName = displayName,
            AppName = app,
            ReturnUrl = returnUrl,
            ReconnectConnectionId = reconnectId,
            Status = ConnectSessionStatus.Pending,
            CreatedAt = now,
            ExpiresAt = now + options.CurrentValue.ConnectSessionLifetime,
        };
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.ConnectSessions.Add(session);
        await db.SaveChangesAsync(ct);
        return (session, UrlFor(token));
    }

    public async Task<ConnectSessionEntity?> FindByTokenAsync(string token, CancellationToken ct)
    {
        if (token.Length is < 20 or > 100)
        {
            return null;
        }

        var hash = Hash(token);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ConnectSessions.AsNoTracking().FirstOrDefaultAsync(s => s.TokenHash == hash, ct);
    }

    /// <summary>The session an OAuth `state` belongs to, without using the state up: the caller checks the browser first.</summary>
    public async Task<ConnectSessionEntity?> FindByStateAsync(string state, CancellationToken ct)
    {
        if (state.Length is < 20 or > 100)
        {
            return null;
        }

        var hash = Hash(state);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ConnectSessions.AsNoTracking().FirstOrDefaultAsync(s => s.OAuthStateHash == hash, ct);
    }

    /// <summary>Uses up a session's OAuth `state`, so a replayed callback finds nothing. False if it was used already.</summary>
    public async Task<bool> ConsumeStateAsync(string sessionId, string state, CancellationToken ct)
    {
        var hash = Hash(state);
        await using var db = await contexts.CreateDbContextAsync(ct);

        // Compare-and-clear: of two callbacks racing with one state, only one sees a row change.
        return await db.ConnectSessions.Where(s => s.Id == sessionId && s.OAuthStateHash == hash)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.OAuthStateHash, (byte[]?)null), ct) == 1;
    }

    public async Task<ConnectSessionEntity?> FindByIdAsync(string id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ConnectSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
    }

    /// <summary>Binds an unbound session to a browser. False if another browser was bound first.</summary>
    public async Task<bool> BindBrowserAsync(string id, byte[] browserHash, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ConnectSessions.Where(s => s.Id == id && s.BrowserHash == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.BrowserHash, browserHash), ct) == 1;
    }

    public async Task SaveFlowAsync(string id, ConnectFlowState flow, string? newState, CancellationToken ct)
    {
        var sealedFlow = protector.Protect(JsonSerializer.Serialize(flow, Json), FlowPurpose(id));
        var stateHash = newState is null ? null : Hash(newState);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.ConnectSessions.Where(s => s.Id == id);
        if (stateHash is null)
        {
            await query.ExecuteUpdateAsync(s => s.SetProperty(x => x.Flow, sealedFlow), ct);
        }
        else
        {
            await query.ExecuteUpdateAsync(s => s.SetProperty(x => x.Flow, sealedFlow).SetProperty(x => x.OAuthStateHash, stateHash), ct);
        }
    }

    public ConnectFlowState OpenFlow(ConnectSessionEntity session)
        => session.Flow is null ? new ConnectFlowState() : JsonSerializer.Deserialize<ConnectFlowState>(protector.Unprotect(session.Flow, FlowPurpose(session.Id)), Json)!;

    /// <summary>Marks the session used (also after a failed try: "Try again" may complete it). False if another request completed it first.</summary>
    public async Task<bool> CompleteAsync(string id, string connectionId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        return await db.ConnectSessions.Where(s => s.Id == id && s.Status != ConnectSessionStatus.Completed)
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.Status, ConnectSessionStatus.Completed)
                .SetProperty(x => x.ErrorCode, (string?)null)
                .SetProperty(x => x.ConnectionId, connectionId)
                .SetProperty(x => x.CompletedAt, now)
                .SetProperty(x => x.Flow, (string?)null)
                .SetProperty(x => x.OAuthStateHash, (byte[]?)null), ct) == 1;
    }

    public async Task SetConnectionAsync(string id, string connectionId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.ConnectSessions.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.ConnectionId, connectionId), ct);
    }

    /// <summary>Records that the last sign-in through the link failed, and why (`consent_declined`…). The link can still be completed.</summary>
    public async Task FailAsync(string id, string errorCode, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.ConnectSessions.Where(s => s.Id == id && s.Status != ConnectSessionStatus.Completed)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, ConnectSessionStatus.Failed).SetProperty(x => x.ErrorCode, errorCode)
                .SetProperty(x => x.Flow, (string?)null).SetProperty(x => x.OAuthStateHash, (byte[]?)null), ct);
    }

    public bool IsExpired(ConnectSessionEntity session) => session.ExpiresAt <= clock.GetUtcNow();

    private static string FlowPurpose(string id) => $"connect-session:{id}:flow";
}
