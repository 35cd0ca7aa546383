using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Builds Entra token responses: JWT access tokens for Azure DevOps (v1.0 shape, as Azure DevOps receives),
/// rotating refresh tokens and v2.0 id tokens.</summary>
internal static class EntraTokens
{
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan RefreshTokenInactivity = TimeSpan.FromDays(90);
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);
    private const int ExpiresIn = 3599;
    private const string GraphResourceId = "00000003-0000-0000-c000-000000000000";

    public static IResult Delegated(HttpContext http, EmulatorState state, GrantRecord grant, IReadOnlyList<string> oidc, string? nonce)
    {
        var user = state.Read(_ => state.FindUserLocked(grant.UserId)) ?? throw new InvalidOperationException("Grant without user.");
        var now = state.Now;
        var jti = Secrets.Base64Url(Guid.NewGuid().ToByteArray());
        var claims = new Dictionary<string, object?>
        {
            // A sign-in alone (no Azure DevOps scope) gets Entra's Microsoft Graph token, which Azure DevOps refuses.
            ["aud"] = grant.Scopes.Count == 0 ? GraphResourceId : EmulatorDefaults.AzureDevOpsResourceId,
            ["iss"] = $"https://sts.windows.net/{grant.TenantId}/",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + AccessTokenLifetime).ToUnixTimeSeconds(),
            ["acr"] = "1",
            ["amr"] = new[] { "pwd" },
            ["appid"] = grant.ClientId,
            ["appidacr"] = "1",
            ["name"] = user.DisplayName,
            ["oid"] = user.Id.ToString(),
            ["scp"] = grant.Scopes.Count == 0 ? "User.Read" : string.Join(' ', grant.Scopes),
            ["sub"] = Secrets.Base64Url(Secrets.StableGuid($"sub:{user.Id}:{grant.ClientId}").ToByteArray()),
            ["tid"] = grant.TenantId,
            ["unique_name"] = user.UserPrincipalName,
            ["upn"] = user.UserPrincipalName,
            ["uti"] = jti,
            ["jti"] = jti,
            ["ver"] = "1.0",
        };
        if (user.TenantId != grant.TenantId)
        {
            claims["idp"] = $"https://sts.windows.net/{user.TenantId}/";
        }

        state.StoreAccessToken(new AccessTokenRecord(jti, TokenKind.Entra, grant.ClientId, grant.TenantId, user.Id, grant.Id, grant.Scopes, now + AccessTokenLifetime));
        var body = new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["scope"] = grant.Scopes.Count == 0
                ? string.Join(' ', oidc.Where(s => s != "offline_access" || grant.OfflineAccess).Append("User.Read"))
                : EntraScopes.ResponseScope(grant.Scopes, oidc.Where(s => s != "offline_access" || grant.OfflineAccess)),
            ["expires_in"] = ExpiresIn,
            ["ext_expires_in"] = ExpiresIn,
            ["access_token"] = state.Jwt.Create(claims),
        };
        if (grant.OfflineAccess)
        {
            body["refresh_token"] = state.StoreRefreshToken(grant.Id, "emurt_");
        }

        if (oidc.Contains("openid"))
        {
            body["id_token"] = IdToken(http, state, grant, user, nonce, oidc.Contains("email"), now);
        }

        EntraErrors.NoStore(http);
        return Results.Json(body);
    }

    public static IResult AppOnly(HttpContext http, EmulatorState state, EntraAppRegistration app, string tenantId)
    {
        EntraErrors.NoStore(http);
        return Results.Json(new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = ExpiresIn,
            ["ext_expires_in"] = ExpiresIn,
            ["access_token"] = AppOnlyAccessToken(state, app.ClientId, tenantId),
        });
    }

    /// <summary>An app-only access token for Azure DevOps, as the client-credentials grant and managed identities receive.</summary>
    public static string AppOnlyAccessToken(EmulatorState state, string clientId, string tenantId)
    {
        var now = state.Now;
        var jti = Secrets.Base64Url(Guid.NewGuid().ToByteArray());
        var spId = EmulatorState.ServicePrincipalId(tenantId, clientId);
        var claims = new Dictionary<string, object?>
        {
            ["aud"] = EmulatorDefaults.AzureDevOpsResourceId,
            ["iss"] = $"https://sts.windows.net/{tenantId}/",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + AccessTokenLifetime).ToUnixTimeSeconds(),
            ["appid"] = clientId,
            ["appidacr"] = "1",
            ["idp"] = $"https://sts.windows.net/{tenantId}/",
            ["idtyp"] = "app",
            ["oid"] = spId.ToString(),
            ["sub"] = spId.ToString(),
            ["tid"] = tenantId,
            ["uti"] = jti,
            ["jti"] = jti,
            ["ver"] = "1.0",
        };
        state.StoreAccessToken(new AccessTokenRecord(jti, TokenKind.EntraApp, clientId, tenantId, spId, null, ["user_impersonation"], now + AccessTokenLifetime));
        return state.Jwt.Create(claims);
    }

    private static string IdToken(HttpContext http, EmulatorState state, GrantRecord grant, EmulatorUser user, string? nonce, bool email, DateTimeOffset now)
    {
        var claims = new Dictionary<string, object?>
        {
            ["aud"] = grant.ClientId,
            ["iss"] = $"{EmulatorUrls.Login(http, grant.TenantId)}/v2.0",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + AccessTokenLifetime).ToUnixTimeSeconds(),
            ["name"] = user.DisplayName,
            ["oid"] = user.Id.ToString(),
            ["preferred_username"] = user.UserPrincipalName,
            ["sub"] = Secrets.Base64Url(Secrets.StableGuid($"sub:{user.Id}:{grant.ClientId}").ToByteArray()),
            ["tid"] = grant.TenantId,
            ["ver"] = "2.0",
        };
        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        // Entra sends `email` (the user's mail attribute) when the email scope or optional claim asks for it; the
        // emulator's users have a mailbox at their user principal name.
        if (email)
        {
            claims["email"] = user.UserPrincipalName;
        }

        return state.Jwt.Create(claims);
    }
}
