using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>POST app.vssps.visualstudio.com/oauth2/token: the client authenticates with its secret as client_assertion,
/// and the code (or refresh token) travels as assertion.</summary>
internal static class LegacyToken
{
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    public static async Task<IResult> Token(HttpContext http, EmulatorState state)
    {
        if (!http.Request.HasFormContentType)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", "The request content type must be application/x-www-form-urlencoded.");
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (form["client_assertion_type"] != LegacyOAuthApi.AssertionType)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", $"client_assertion_type must be '{LegacyOAuthApi.AssertionType}'.");
        }

        var app = FindAppBySecret(state, form["client_assertion"]);
        if (app is null)
        {
            return Error(StatusCodes.Status401Unauthorized, "invalid_client", "The client_assertion is not a valid client secret.");
        }

        if (app.SecretExpiresAt is { } expires && expires <= state.Now)
        {
            return Error(StatusCodes.Status401Unauthorized, "invalid_client", "The client secret has expired. Regenerate it in the application settings.");
        }

        string? assertion = form["assertion"];
        if (string.IsNullOrEmpty(assertion))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", "The assertion parameter is required.");
        }

        string? grantType = form["grant_type"];
        if (grantType == LegacyOAuthApi.JwtBearerGrant)
        {
            var code = state.FindCode(assertion);
            if (code is null || code.Kind != TokenKind.Legacy || !string.Equals(code.ClientId, app.AppId, StringComparison.OrdinalIgnoreCase) || code.Redeemed)
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_grant", "The authorization code is not valid or has already been used.");
            }

            if (state.Now - code.IssuedAt > CodeLifetime)
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_grant", "The authorization code has expired.");
            }

            if (!string.Equals(form["redirect_uri"], code.RedirectUri, StringComparison.Ordinal))
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_grant", "The redirect_uri does not match the callback URL used to obtain the code.");
            }

            if (!state.TryRedeemCode(assertion))
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_grant", "The authorization code is not valid or has already been used.");
            }

            return Issue(state, state.CreateGrant(TokenKind.Legacy, app.AppId, code.UserId, code.TenantId, code.Scopes, true));
        }

        if (grantType == "refresh_token")
        {
            if (state.FindRefreshToken(assertion) is not var (_, grant) || grant.Kind != TokenKind.Legacy || !string.Equals(grant.ClientId, app.AppId, StringComparison.OrdinalIgnoreCase))
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_grant", "The refresh token is not valid.");
            }

            if (grant.RevokedAt is not null || !state.HasConsent(grant.UserId, grant.ClientId))
            {
                return Error(StatusCodes.Status401Unauthorized, "invalid_grant", "The user has revoked access to this application.");
            }

            return Issue(state, grant);
        }

        return Error(StatusCodes.Status400BadRequest, "unsupported_grant_type", $"The grant_type '{grantType}' is not supported.");
    }

    private static LegacyAppRegistration? FindAppBySecret(EmulatorState state, string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return null;
        }

        LegacyAppRegistration? match = null;
        foreach (var app in state.LegacyApps)
        {
            if (Secrets.FixedTimeEquals(app.ClientSecret, secret))
            {
                match = app;
            }
        }

        return match;
    }

    private static IResult Issue(EmulatorState state, GrantRecord grant)
    {
        var now = state.Now;
        var jti = Guid.NewGuid().ToString();
        var claims = new Dictionary<string, object?>
        {
            ["nameid"] = grant.UserId.ToString(),
            ["scp"] = string.Join(' ', grant.Scopes),
            ["aui"] = grant.Id,
            ["appid"] = grant.ClientId,
            ["iss"] = "app.vstoken.visualstudio.com",
            ["aud"] = "app.vstoken.visualstudio.com",
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + EntraTokens.AccessTokenLifetime).ToUnixTimeSeconds(),
            ["jti"] = jti,
        };
        state.StoreAccessToken(new AccessTokenRecord(jti, TokenKind.Legacy, grant.ClientId, grant.TenantId, grant.UserId, grant.Id, grant.Scopes, now + EntraTokens.AccessTokenLifetime));

        // The legacy service sends expires_in as a string and token_type "jwt-bearer"; clients written against it expect that.
        return Results.Json(new Dictionary<string, string>
        {
            ["access_token"] = state.Jwt.Create(claims),
            ["token_type"] = "jwt-bearer",
            ["expires_in"] = "3599",
            ["refresh_token"] = state.StoreRefreshToken(grant.Id, "emulrt_"),
            ["scope"] = string.Join(' ', grant.Scopes),
        });
    }

    private static IResult Error(int status, string error, string description) =>
        Results.Json(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }, statusCode: status);
}
