using System.Text;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Who is calling Azure DevOps: a user (Entra, legacy OAuth or PAT) or a service principal.</summary>
internal sealed record DevOpsCaller(Guid Id, string DisplayName, string? UserPrincipalName, string CredentialKind, IReadOnlyList<string> Scopes, EmulatorUser? User);

/// <summary>Azure DevOps' authentication as callers see it: 203 + sign-in page (or 401 when redirects are suppressed)
/// for a missing or bad credential, 401 TF400813 for a good credential that may not use the organisation, 401 naming
/// the scope for a token that lacks it.</summary>
internal static class DevOpsAuth
{
    public static (DevOpsCaller? Caller, IResult? Failure) Authenticate(HttpContext http, EmulatorState state, EmulatorOrganization? org, string? requiredScope)
    {
        var resolved = Resolve(http, state);
        if (resolved is null)
        {
            return (null, SignInRequired(http, org));
        }

        var (caller, kind, tenantId, patOrganization) = resolved.Value;
        if (org is not null)
        {
            var allowed = kind switch
            {
                // "Third-party application access via OAuth" governs Azure DevOps OAuth apps.
                "legacy" => org.OAuthPolicyEnabled && IsMember(caller, org),
                // An Entra token only works for organisations connected to the tenant that issued it (the guest pitfall).
                "entra" or "entra-app" => string.Equals(tenantId, org.TenantId, StringComparison.OrdinalIgnoreCase) && IsMember(caller, org),
                _ => (patOrganization is null || string.Equals(patOrganization, org.Name, StringComparison.OrdinalIgnoreCase)) && IsMember(caller, org),
            };
            if (!allowed)
            {
                return (null, DevOpsErrors.NotAuthorized(caller.Id));
            }
        }

        // "a|b" means any one of the scopes will do (e.g. commit statuses take vso.code_status or vso.code_write).
        if (requiredScope is not null && kind != "entra-app" && !requiredScope.Split('|').Any(s => EntraScopes.Covers(caller.Scopes, s)))
        {
            return (null, DevOpsErrors.Json(
                StatusCodes.Status401Unauthorized,
                "UnauthorizedRequestException",
                $"TF400813: The user '{caller.Id}' is not authorized to access this resource. The access token does not have the required scope '{requiredScope.Split('|')[0]}'; its scopes are '{string.Join(' ', caller.Scopes)}'."));
        }

        return (caller, null);
    }

    /// <summary>The answer to a missing or invalid credential: the HTML sign-in page with 203, or with
    /// "X-TFS-FedAuthRedirect: Suppress" a 401 that says where to get a token.</summary>
    public static IResult SignInRequired(HttpContext http, EmulatorOrganization? org)
    {
        var authority = EmulatorUrls.Login(http, org?.TenantId ?? "common");
        if (string.Equals(http.Request.Headers["X-TFS-FedAuthRedirect"], "Suppress", StringComparison.OrdinalIgnoreCase))
        {
            http.Response.Headers.Append("WWW-Authenticate", $"Bearer authorization_uri={authority}");
            http.Response.Headers.Append("WWW-Authenticate", $"Basic realm=\"{EmulatorUrls.Base(http)}/\"");
            http.Response.Headers["X-TFS-ServiceError"] = Uri.EscapeDataString("TF400813: Resource not available for anonymous access. Client authentication required.");
            return DevOpsErrors.Json(StatusCodes.Status401Unauthorized, "UnauthorizedRequestException", "TF400813: Resource not available for anonymous access. Client authentication required.");
        }

        return HtmlPages.DevOpsSignIn($"{authority}/oauth2/v2.0/authorize");
    }

    private static bool IsMember(DevOpsCaller caller, EmulatorOrganization org) =>
        caller.User is { } user
            ? user.Organizations.Contains(org.Name, StringComparer.OrdinalIgnoreCase)
            : org.ServicePrincipalIds.Contains(caller.Id);

    private static (DevOpsCaller Caller, string Kind, string? TenantId, string? PatOrganization)? Resolve(HttpContext http, EmulatorState state)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return ResolveBearer(state, header[7..].Trim());
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return ResolvePat(state, header[6..].Trim());
        }

        return null;
    }

    private static (DevOpsCaller, string, string?, string?)? ResolveBearer(EmulatorState state, string token)
    {
        if (state.Jwt.ReadVerified(token) is not { } payload || !payload.TryGetProperty("jti", out var jtiElement) || jtiElement.GetString() is not { } jti)
        {
            return null;
        }

        var record = state.FindAccessToken(jti);
        if (record is null || record.ExpiresAt <= state.Now)
        {
            return null;
        }

        if (record.GrantId is not null && state.FindGrant(record.GrantId) is not { RevokedAt: null })
        {
            return null;
        }

        if (record.Kind == TokenKind.EntraApp)
        {
            var app = state.Read(_ => state.FindEntraAppLocked(record.ClientId));
            var caller = new DevOpsCaller(record.SubjectId, app?.DisplayName ?? record.ClientId, null, "entra-app", record.Scopes, null);
            return (caller, "entra-app", record.TenantId, null);
        }

        var user = state.Read(_ => state.FindUserLocked(record.SubjectId));
        if (user is null)
        {
            return null;
        }

        var kind = record.Kind == TokenKind.Legacy ? "legacy" : "entra";
        return (new DevOpsCaller(user.Id, user.DisplayName, user.UserPrincipalName, kind, record.Scopes, user), kind, record.TenantId, null);
    }

    private static (DevOpsCaller, string, string?, string?)? ResolvePat(EmulatorState state, string encoded)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException)
        {
            return null;
        }

        // Azure DevOps ignores the user name part of Basic credentials; the PAT alone identifies the user.
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        var pat = colon >= 0 ? decoded[(colon + 1)..] : decoded;
        var record = pat.Length == 0 ? null : state.FindPat(pat);
        if (record is null || record.ExpiresAt <= state.Now)
        {
            return null;
        }

        var user = state.Read(_ => state.FindUserLocked(record.UserId));
        return user is null
            ? null
            : (new DevOpsCaller(user.Id, user.DisplayName, user.UserPrincipalName, "pat", record.Scopes, user), "pat", user.TenantId, record.Organization);
    }
}
