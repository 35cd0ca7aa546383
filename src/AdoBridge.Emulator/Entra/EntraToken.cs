using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>POST /{tenant}/oauth2/v2.0/token: authorization_code (with PKCE), refresh_token (rotating) and client_credentials.</summary>
internal static class EntraToken
{
    public static async Task<IResult> Token(string tenant, HttpContext http, EmulatorState state)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : FormCollection.Empty;
        IResult Error(string error, int code, string message, string? suberror = null) => EntraErrors.Json(http, state, error, code, message, suberror);

        var resolved = EntraApi.ResolveTenant(state, tenant);
        if (!resolved.Known)
        {
            return Error("invalid_request", 90002, EntraErrors.TenantNotFound(tenant));
        }

        string? grantType = form["grant_type"];
        if (string.IsNullOrEmpty(grantType))
        {
            return Error("invalid_request", 900144, EntraErrors.MissingParameter("grant_type"));
        }

        if (grantType is not ("authorization_code" or "refresh_token" or "client_credentials"))
        {
            return Error("unsupported_grant_type", 70003, $"The app requested an unsupported grant type '{grantType}'.");
        }

        var (clientId, secret) = ClientCredentials(http, form);
        if (string.IsNullOrEmpty(clientId))
        {
            return Error("invalid_request", 900144, EntraErrors.MissingParameter("client_id"));
        }

        var app = state.Read(_ => state.FindEntraAppLocked(clientId));
        if (app is null)
        {
            return Error("unauthorized_client", 700016, EntraErrors.AppNotFound(clientId, resolved.Tenant?.DisplayName ?? tenant));
        }

        string? assertion = form["client_assertion"];
        if (!string.IsNullOrEmpty(assertion))
        {
            // A client assertion authenticates the client instead of a secret: here, a token from a federated issuer.
            if (form["client_assertion_type"] != EntraFederation.AssertionType)
            {
                return Error("invalid_request", 900144, EntraErrors.MissingParameter("client_assertion_type"));
            }

            if (EntraFederation.Check(state, app, assertion) is { } refused)
            {
                return Error(refused.Error, refused.Code, refused.Message);
            }
        }

        // Apps with secrets are confidential clients and must authenticate; apps without are public clients.
        else if (secret is not null || app.Secrets.Count > 0 || grantType == "client_credentials")
        {
            var failure = CheckSecret(app, secret, state.Now);
            if (failure is { } f)
            {
                return Error("invalid_client", f.Code, f.Message);
            }
        }

        return grantType switch
        {
            "authorization_code" => RedeemCode(http, state, app, form, Error),
            "refresh_token" => Refresh(http, state, app, form, Error),
            _ => ClientCredentialsGrant(http, state, app, resolved, form, Error),
        };
    }

    private static IResult RedeemCode(HttpContext http, EmulatorState state, EntraAppRegistration app, IFormCollection form, Func<string, int, string, string?, IResult> error)
    {
        string? code = form["code"];
        if (string.IsNullOrEmpty(code))
        {
            return error("invalid_request", 900144, EntraErrors.MissingParameter("code"), null);
        }

        var record = state.FindCode(code);
        if (record is null || record.Kind != TokenKind.Entra)
        {
            return error("invalid_grant", 9002313, EntraErrors.Malformed, null);
        }

        if (!string.Equals(record.ClientId, app.ClientId, StringComparison.OrdinalIgnoreCase))
        {
            return error("invalid_grant", 70000, EntraErrors.GrantInvalid, null);
        }

        if (record.Redeemed)
        {
            return error("invalid_grant", 54005, EntraErrors.CodeRedeemed, null);
        }

        if (state.Now - record.IssuedAt > EntraTokens.CodeLifetime)
        {
            return error("invalid_grant", 70008, EntraErrors.CodeExpired, null);
        }

        string? redirectUri = form["redirect_uri"];
        if (string.IsNullOrEmpty(redirectUri))
        {
            return error("invalid_request", 900144, EntraErrors.MissingParameter("redirect_uri"), null);
        }

        if (!string.Equals(redirectUri, record.RedirectUri, StringComparison.Ordinal))
        {
            return error("invalid_grant", 500112, EntraErrors.ReplyAddressMismatch(redirectUri, record.RedirectUri), null);
        }

        if (record.CodeChallenge is not null)
        {
            string? verifier = form["code_verifier"];
            if (string.IsNullOrEmpty(verifier))
            {
                return error("invalid_grant", 501481, EntraErrors.VerifierMissing, null);
            }

            if (!VerifierMatches(verifier, record.CodeChallenge, record.CodeChallengeMethod))
            {
                return error("invalid_grant", 50148, EntraErrors.VerifierMismatch, null);
            }
        }

        if (!state.TryRedeemCode(code))
        {
            return error("invalid_grant", 54005, EntraErrors.CodeRedeemed, null);
        }

        var grant = state.CreateGrant(TokenKind.Entra, app.ClientId, record.UserId, record.TenantId, record.Scopes, record.OfflineAccess);
        var oidc = new List<string>();
        if (record.OpenId)
        {
            oidc.AddRange(["openid", "profile"]);
            if (record.Email)
            {
                oidc.Add("email");
            }
        }

        if (record.OfflineAccess)
        {
            oidc.Add("offline_access");
        }

        return EntraTokens.Delegated(http, state, grant, oidc, record.Nonce);
    }

    private static IResult Refresh(HttpContext http, EmulatorState state, EntraAppRegistration app, IFormCollection form, Func<string, int, string, string?, IResult> error)
    {
        string? token = form["refresh_token"];
        if (string.IsNullOrEmpty(token))
        {
            return error("invalid_request", 900144, EntraErrors.MissingParameter("refresh_token"), null);
        }

        if (state.FindRefreshToken(token) is not var (record, grant) || grant.Kind != TokenKind.Entra)
        {
            return error("invalid_grant", 9002313, EntraErrors.Malformed, null);
        }

        if (!string.Equals(grant.ClientId, app.ClientId, StringComparison.OrdinalIgnoreCase))
        {
            return error("invalid_grant", 70000, EntraErrors.GrantInvalid, null);
        }

        if (grant.RevokedAt is { } revokedAt)
        {
            return error("invalid_grant", 50173, EntraErrors.GrantRevoked(grant.IssuedAt, revokedAt), null);
        }

        if (!state.HasConsent(grant.UserId, grant.ClientId))
        {
            return error("invalid_grant", 65001, EntraErrors.ConsentMissing(app.ClientId, app.DisplayName), "consent_required");
        }

        // Each refresh token lives 90 days from its own issue; rotation hands out a fresh one and leaves the old one valid.
        if (state.Now - record.IssuedAt > EntraTokens.RefreshTokenInactivity)
        {
            return error("invalid_grant", 700082, EntraErrors.RefreshInactive(record.IssuedAt), "bad_token");
        }

        string[] oidc = ["offline_access"];
        return EntraTokens.Delegated(http, state, grant, oidc, null);
    }

    private static IResult ClientCredentialsGrant(HttpContext http, EmulatorState state, EntraAppRegistration app, (bool Known, bool Multi, EmulatorTenant? Tenant) resolved, IFormCollection form, Func<string, int, string, string?, IResult> error)
    {
        if (resolved.Multi)
        {
            return error("invalid_request", 50059, EntraErrors.NoTenant, null);
        }

        string? scope = form["scope"];
        if (string.IsNullOrWhiteSpace(scope))
        {
            return error("invalid_request", 900144, EntraErrors.MissingParameter("scope"), null);
        }

        if (EntraScopes.StripResource(scope.Trim()) != ".default")
        {
            return error("invalid_scope", 1002012, EntraErrors.ClientCredentialsScope(scope), null);
        }

        return EntraTokens.AppOnly(http, state, app, resolved.Tenant!.Id);
    }

    /// <summary>client_secret_post, or client_secret_basic (HTTP Basic with client id and secret).</summary>
    private static (string? ClientId, string? Secret) ClientCredentials(HttpContext http, IFormCollection form)
    {
        string? clientId = form["client_id"];
        string? secret = form["client_secret"];
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    clientId ??= Uri.UnescapeDataString(decoded[..colon]);
                    secret ??= Uri.UnescapeDataString(decoded[(colon + 1)..]);
                }
            }
            catch (FormatException)
            {
                // A malformed header is ignored, as if no credential had been sent.
            }
        }

        return (clientId, secret);
    }

    private static (int Code, string Message)? CheckSecret(EntraAppRegistration app, string? secret, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return (7000218, EntraErrors.MissingCredential);
        }

        // Compare against every secret in constant time, so timing does not tell which one (if any) matched.
        EmulatorClientSecret? match = null;
        foreach (var candidate in app.Secrets)
        {
            if (Secrets.FixedTimeEquals(candidate.Value, secret))
            {
                match = candidate;
            }
        }

        if (match is null)
        {
            return (7000215, EntraErrors.InvalidSecret(app.ClientId));
        }

        return match.ExpiresAt is { } expires && expires <= now ? (7000222, EntraErrors.ExpiredSecret(app.ClientId)) : null;
    }

    internal static bool VerifierMatches(string verifier, string challenge, string? method)
    {
        var expected = method == "S256" ? Secrets.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) : verifier;
        return Secrets.FixedTimeEquals(expected, challenge);
    }
}
