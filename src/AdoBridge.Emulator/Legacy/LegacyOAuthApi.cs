using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AdoBridge.Emulator;

/// <summary>Legacy Azure DevOps OAuth (app.vssps.visualstudio.com): response_type=Assertion, jwt-bearer code exchange,
/// rotating refresh tokens. Deprecated by Microsoft, still used by existing apps.</summary>
internal static class LegacyOAuthApi
{
    internal const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    internal const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    public static void Map(RouteGroupBuilder root)
    {
        var app = root.MapGroup("/" + EmulatorDefaults.VsspsAppHost + "/oauth2");
        app.MapGet("/authorize", Authorize);
        app.MapPost("/login", SignIn).DisableAntiforgery();
        app.MapPost("/consent", Consent).DisableAntiforgery();
        app.MapPost("/token", LegacyToken.Token).DisableAntiforgery();
    }

    /// <summary>Callbacks must be HTTPS; plain HTTP is allowed only on loopback so the sandbox and tests can run locally.</summary>
    internal static bool IsAllowedCallback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || uri.Host == "localhost")));

    private static IResult Authorize(HttpContext http, EmulatorState state)
    {
        var q = http.Request.Query;
        string? clientId = q["client_id"];
        var app = string.IsNullOrEmpty(clientId) ? null : state.Read(_ => state.FindLegacyAppLocked(clientId));
        if (app is null)
        {
            return HtmlPages.LegacyError($"The client id '{clientId}' is not valid: no application is registered with it.");
        }

        if (!string.Equals(q["response_type"], "Assertion", StringComparison.Ordinal))
        {
            return HtmlPages.LegacyError("Invalid response_type: it must be 'Assertion'.");
        }

        string? redirectUri = q["redirect_uri"];
        if (redirectUri is null || !string.Equals(redirectUri, app.CallbackUrl, StringComparison.Ordinal) || !IsAllowedCallback(redirectUri))
        {
            return HtmlPages.LegacyError($"The redirect_uri '{redirectUri}' does not match the callback URL registered for the application, or is not HTTPS.");
        }

        var requested = ((string?)q["scope"] ?? string.Join(' ', app.Scopes)).Split([' ', '+'], StringSplitOptions.RemoveEmptyEntries);
        var unknown = requested.Where(s => !app.Scopes.Contains(s, StringComparer.OrdinalIgnoreCase)).ToArray();
        if (requested.Length == 0 || unknown.Length > 0)
        {
            return HtmlPages.LegacyError($"Invalid scope: '{string.Join(' ', unknown)}' is not registered for the application.");
        }

        var pending = state.CreatePending(new PendingAuthorization(
            Secrets.NewToken("ctx_", 24), TokenKind.Legacy, string.Empty, app.AppId, app.DisplayName, redirectUri,
            requested, requested.Select(EntraScopes.Describe).ToArray(), true, false, q["state"], null, null, null, "query", false, state.Now));
        return HtmlPages.PickAccount($"{EmulatorUrls.VsspsApp(http)}/oauth2/login", pending.Id, app.DisplayName, state.Users);
    }

    private static async Task<IResult> SignIn(HttpContext http, EmulatorState state)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var pending = state.FindPending(form["ctx"]);
        if (pending is null || pending.Kind != TokenKind.Legacy)
        {
            return HtmlPages.LegacyError("The sign-in request has expired. Start again.");
        }

        var user = state.FindUser(form["login"].ToString().Trim());
        if (user is null)
        {
            return HtmlPages.LegacyError("That account does not exist.");
        }

        pending = pending with { UserId = user.Id, TenantId = user.TenantId };
        state.UpdatePending(pending);
        if (state.HasConsent(user.Id, pending.ClientId))
        {
            return Complete(state, pending);
        }

        return HtmlPages.Consent($"{EmulatorUrls.VsspsApp(http)}/oauth2/consent", pending.Id, pending.ClientName, user.UserPrincipalName, pending.DisplayScopes);
    }

    private static async Task<IResult> Consent(HttpContext http, EmulatorState state)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var pending = state.FindPending(form["ctx"]);
        if (pending?.UserId is not { } userId || pending.Kind != TokenKind.Legacy)
        {
            return HtmlPages.LegacyError("The sign-in request has expired. Start again.");
        }

        if (form["consent"] != "accept")
        {
            state.RemovePending(pending.Id);
            return EntraAuthorize.Respond(pending.RedirectUri, "query", new() { ["error"] = "access_denied", ["state"] = pending.State });
        }

        state.AddConsent(userId, pending.ClientId);
        return Complete(state, pending);
    }

    private static IResult Complete(EmulatorState state, PendingAuthorization pending)
    {
        state.RemovePending(pending.Id);
        var code = state.StoreCode(new AuthCodeRecord(
            TokenKind.Legacy, pending.ClientId, pending.RedirectUri, pending.UserId!.Value, pending.TenantId!, pending.Scopes,
            true, false, null, null, null, state.Now, false));
        return EntraAuthorize.Respond(pending.RedirectUri, "query", new() { ["code"] = code, ["state"] = pending.State });
    }
}
