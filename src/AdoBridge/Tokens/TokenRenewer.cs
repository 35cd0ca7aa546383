using AdoBridge.Apps;
using AdoBridge.AzureDevOps;
using AdoBridge.Events;
using AdoBridge.Storage;
using AdoBridge.Telemetry;
using Microsoft.Extensions.Options;

namespace AdoBridge.Tokens;

/// <summary>The result of trying to renew one connection.</summary>
internal sealed record TokenOutcome(TokenResult? Tokens, string? Status = null, string? Reason = null, string? Code = null, bool Retry = false, string? DeferredReason = null)
{
    public static readonly TokenOutcome Unchanged = new((TokenResult?)null);

    public static TokenOutcome Mark(string status, string reason, string code, bool retry = false) => new(null, status, reason, code, retry);

    public static TokenOutcome Deferred(string reason) => new(null, DeferredReason: reason);
}

/// <summary>
/// Renews one connection's tokens with the identity provider and decides what that means for the connection: new
/// tokens, a wait before retrying, or a status (and the lifecycle event) the user or operator must act on.
/// </summary>
internal sealed partial class TokenRenewer(
    AppRegistry apps,
    IdentityClient identity,
    SealedTokens sealedTokens,
    EventRecorder events,
    IOptionsMonitor<TokenOptions> options,
    TimeProvider clock,
    ILogger<TokenRenewer> logger)
{
    /// <summary>What to do with one connection: nothing, new tokens, or a status change. No database access, so it can run in parallel.</summary>
    public async Task<TokenOutcome> RenewAsync(ConnectionEntity row, int? staleVersion, CancellationToken ct)
    {
        if (row.Status != ConnectionStatus.Active && row.Status != ConnectionStatus.Error)
        {
            return TokenOutcome.Unchanged;
        }

        var replacedSinceSeen = staleVersion is not null && row.Version != staleVersion;
        if (row.Status == ConnectionStatus.Active && row.AccessToken is not null && (row.AuthType == AuthTypes.Pat || replacedSinceSeen || (staleVersion is null && sealedTokens.IsFresh(row))))
        {
            return TokenOutcome.Unchanged;
        }

        if (row.AuthType == AuthTypes.Pat)
        {
            // A PAT cannot be renewed by AdoBridge: Azure DevOps refused it, so only its owner can replace it.
            return TokenOutcome.Mark(ConnectionStatus.NeedsReauth, "Azure DevOps no longer accepts this personal access token (expired or revoked). Connect again with a new PAT.", "pat_rejected");
        }

        var app = await apps.GetCachedAsync(row.AppName, ct);
        if (app is null || !app.IsValid)
        {
            return TokenOutcome.Mark(ConnectionStatus.Error, $"App '{row.AppName}' is missing or invalid; fix it in /v1/admin/apps.", "app_unavailable", retry: true);
        }

        using var span = TelemetrySpans.StartTokenRefresh(row.Id, row.AuthType);
        try
        {
            return new TokenOutcome(row.AuthType == AuthTypes.ServicePrincipal
                ? await identity.ClientCredentialsAsync(app, ct)
                : await identity.RefreshAsync(app, sealedTokens.OpenRefreshToken(row), app.RedirectUri, ct));
        }
        catch (IdentityException e) when (e.NeedsUser)
        {
            return TokenOutcome.Mark(ConnectionStatus.NeedsReauth, $"The user must connect again: {e.Description}", e.AadstsCode ?? e.Error);
        }
        catch (IdentityException e)
        {
            return TokenOutcome.Mark(ConnectionStatus.Error, $"The identity provider refused the app's credentials: {e.Description}", e.AadstsCode ?? e.Error, retry: true);
        }
        catch (IdentityUnavailableException e)
        {
            return TokenOutcome.Deferred(e.Message);
        }
    }

    /// <summary>Writes an outcome into the tracked row (and the event it calls for); the caller saves.</summary>
    public void Apply(AdoBridgeDbContext db, ConnectionEntity row, TokenOutcome outcome)
    {
        TelemetryInstruments.Refreshed(outcome.Tokens is not null ? "renewed" : outcome.DeferredReason is not null ? "deferred" : outcome.Status, row.AuthType);
        var now = clock.GetUtcNow();
        if (outcome.Tokens is not null || outcome.Status is not null)
        {
            sealedTokens.Forget(row.Id);
        }

        if (outcome.Tokens is { } tokens)
        {
            sealedTokens.Store(row, tokens);
            row.Status = ConnectionStatus.Active;
            row.StatusReason = null;
            row.StatusErrorCode = null;
        }
        else if (outcome.DeferredReason is { } reason)
        {
            row.RefreshFailures++;
            row.NextRefreshAt = now + RetryDelay(row.RefreshFailures);
            row.RefreshLeaseUntil = null;
            LogRefreshDeferred(logger, row.Id, row.RefreshFailures, reason);
        }
        else if (outcome.Status is { } status)
        {
            if (row.Status != status)
            {
                events.Add(db, row.EnvironmentId, status == ConnectionStatus.NeedsReauth ? LifecycleEvents.ConnectionNeedsReauth : LifecycleEvents.ConnectionError, row.Id,
                    new { connectionId = row.Id, endUserId = row.EndUserId, status, reason = outcome.Reason, errorCode = outcome.Code });
                LogMarked(logger, row.Id, status, outcome.Code!);
            }

            row.Status = status;
            row.StatusReason = outcome.Reason;
            row.StatusErrorCode = outcome.Code;
            row.RefreshLeaseUntil = null;
            row.NextRefreshAt = outcome.Retry ? now + options.CurrentValue.MaxRetryDelay : null;
            row.UpdatedAt = now;
            row.Version++;
        }
    }

    /// <summary>The token to hand out after an outcome was stored, or why there is none.</summary>
    public AccessToken Result(ConnectionEntity row, TokenOutcome outcome)
    {
        if (outcome.Status is { } status)
        {
            throw new ConnectionUnavailableException(row.Id, status, outcome.Reason, outcome.Code);
        }

        if (row.Status != ConnectionStatus.Active || row.AccessToken is null)
        {
            throw new ConnectionUnavailableException(row.Id, row.Status, row.StatusReason, row.StatusErrorCode);
        }

        if (outcome.DeferredReason is not null && row.AccessTokenExpiresAt <= clock.GetUtcNow())
        {
            throw new TokenRefreshUnavailableException($"The access token has expired and the identity provider is unavailable ({outcome.DeferredReason}); AdoBridge keeps retrying.");
        }

        return sealedTokens.Open(row);
    }

    private TimeSpan RetryDelay(int failures)
    {
        var seconds = Math.Min(options.CurrentValue.MaxRetryDelay.TotalSeconds, 15 * Math.Pow(2, Math.Min(failures - 1, 10)));
#pragma warning disable CA5394 // jitter that spreads retries out, not a secret
        return TimeSpan.FromSeconds(seconds * (0.8 + (Random.Shared.NextDouble() * 0.4)));
#pragma warning restore CA5394
    }

    /// <summary>The result of trying to renew one connection.</summary>
    private sealed record Outcome(TokenResult? Tokens, string? Status = null, string? Reason = null, string? Code = null, bool Retry = false, string? DeferredReason = null)
    {
        public static readonly Outcome Unchanged = new((TokenResult?)null);

        public static Outcome Mark(string status, string reason, string code, bool retry = false) => new(null, status, reason, code, retry);

        public static Outcome Deferred(string reason) => new(null, DeferredReason: reason);
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Token refresh for {ConnectionId} deferred after {Failures} failure(s): {Reason}")]
    private static partial void LogRefreshDeferred(ILogger logger, string connectionId, int failures, string reason);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Connection {ConnectionId} is now {Status} ({Code})")]
    private static partial void LogMarked(ILogger logger, string connectionId, string status, string code);
}
