namespace AdoBridge.Emulator;

/// <summary>An authorize request between the sign-in page and the consent page (memory only).</summary>
internal sealed record PendingAuthorization(
    string Id,
    TokenKind Kind,
    string TenantSegment,
    string ClientId,
    string ClientName,
    string RedirectUri,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> DisplayScopes,
    bool OfflineAccess,
    bool OpenId,
    string? State,
    string? CodeChallenge,
    string? CodeChallengeMethod,
    string? Nonce,
    string ResponseMode,
    bool ForceConsent,
    DateTimeOffset CreatedAt,
    Guid? UserId = null,
    string? TenantId = null,
    bool Email = false);

// Codes, grants, refresh and access tokens, PATs and consents: the records behind every credential the emulator hands out.
public sealed partial class EmulatorState
{
    private const int AccessTokenHousekeepingThreshold = 20_000;
    private int _accessTokenSweepAt = AccessTokenHousekeepingThreshold;

    internal string StoreCode(AuthCodeRecord record)
    {
        var code = Secrets.NewToken("emucode_", 48);
        Write(d => d.Codes[Secrets.Hash(code)] = record);
        return code;
    }

    internal AuthCodeRecord? FindCode(string code) => Read(d => d.Codes.GetValueOrDefault(Secrets.Hash(code)));

    /// <summary>Marks a code used; false when it was already used (two racing redemptions: only one wins).</summary>
    internal bool TryRedeemCode(string code) => Write(d =>
    {
        var key = Secrets.Hash(code);
        if (!d.Codes.TryGetValue(key, out var record) || record.Redeemed)
        {
            return false;
        }

        d.Codes[key] = record with { Redeemed = true };
        return true;
    });

    internal GrantRecord CreateGrant(TokenKind kind, string clientId, Guid userId, string tenantId, IReadOnlyList<string> scopes, bool offlineAccess)
    {
        var grant = new GrantRecord(Guid.NewGuid().ToString("N"), kind, clientId, userId, tenantId, scopes, offlineAccess, Now, null);
        Write(d => d.Grants[grant.Id] = grant);
        return grant;
    }

    internal GrantRecord? FindGrant(string id) => Read(d => d.Grants.GetValueOrDefault(id));

    internal string StoreRefreshToken(string grantId, string prefix)
    {
        var token = Secrets.NewToken(prefix, 64);
        Write(d => d.RefreshTokens[Secrets.Hash(token)] = new RefreshTokenRecord(grantId, Now));
        return token;
    }

    internal (RefreshTokenRecord Token, GrantRecord Grant)? FindRefreshToken(string token) => Read<(RefreshTokenRecord, GrantRecord)?>(d =>
        d.RefreshTokens.TryGetValue(Secrets.Hash(token), out var record) && d.Grants.TryGetValue(record.GrantId, out var grant)
            ? (record, grant)
            : null);

    internal void StoreAccessToken(AccessTokenRecord record) => Write(d =>
    {
        // Sweep expired tokens only when the table has doubled since the last sweep: sweeping on every store past the
        // threshold made each token request scan every live token (quadratic under load).
        if (d.AccessTokens.Count > Math.Max(AccessTokenHousekeepingThreshold, _accessTokenSweepAt))
        {
            var now = Now;
            foreach (var expired in d.AccessTokens.Where(t => t.Value.ExpiresAt < now).Select(t => t.Key).ToArray())
            {
                d.AccessTokens.Remove(expired);
            }

            _accessTokenSweepAt = d.AccessTokens.Count * 2;
        }

        d.AccessTokens[record.Jti] = record;
    });

    internal AccessTokenRecord? FindAccessToken(string jti) => Read(d => d.AccessTokens.GetValueOrDefault(jti));

    internal PatRecord? FindPat(string value) => Read(d => d.Pats.GetValueOrDefault(Secrets.Hash(value)));

    internal bool HasConsent(Guid userId, string clientId) =>
        Read(d => d.Consents.Any(c => c.UserId == userId && string.Equals(c.ClientId, clientId, StringComparison.OrdinalIgnoreCase)));

    internal void AddConsent(Guid userId, string clientId) => Write(d =>
    {
        d.Consents.RemoveAll(c => c.UserId == userId && string.Equals(c.ClientId, clientId, StringComparison.OrdinalIgnoreCase));
        d.Consents.Add(new ConsentRecord(userId, clientId, Now));
    });

    internal PendingAuthorization CreatePending(PendingAuthorization pending)
    {
        lock (_gate)
        {
            // Abandoned sign-ins are dropped after an hour so the dictionary cannot grow without bound.
            var cutoff = Now.AddHours(-1);
            foreach (var stale in _pending.Values.Where(p => p.CreatedAt < cutoff).Select(p => p.Id).ToArray())
            {
                _pending.Remove(stale);
            }

            _pending[pending.Id] = pending;
            return pending;
        }
    }

    internal PendingAuthorization? FindPending(string? id)
    {
        lock (_gate)
        {
            return id is not null && _pending.TryGetValue(id, out var p) ? p : null;
        }
    }

    internal void UpdatePending(PendingAuthorization pending)
    {
        lock (_gate)
        {
            _pending[pending.Id] = pending;
        }
    }

    internal void RemovePending(string id)
    {
        lock (_gate)
        {
            _pending.Remove(id);
        }
    }
}
