using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace AdoBridge.Emulator;

/// <summary>The interactive part of the authorization code flow: validate, pick an account, consent, redirect with a code.</summary>
internal static class EntraAuthorize
{
    public static IResult Authorize(string tenant, HttpContext http, EmulatorState state)
    {
        var q = http.Request.Query;
        var correlation = EntraErrors.CorrelationId(http);
        var resolved = EntraApi.ResolveTenant(state, tenant);
        if (!resolved.Known)
        {
            return HtmlPages.EntraError("AADSTS90002", EntraErrors.TenantNotFound(tenant), state.Now, correlation);
        }

        string? clientId = q["client_id"];
        if (string.IsNullOrEmpty(clientId))
        {
            return HtmlPages.EntraError("AADSTS900144", EntraErrors.MissingParameter("client_id"), state.Now, correlation);
        }

        var app = state.Read(_ => state.FindEntraAppLocked(clientId));
        if (app is null)
        {
            return HtmlPages.EntraError("AADSTS700016", EntraErrors.AppNotFound(clientId, resolved.Tenant?.DisplayName ?? tenant), state.Now, correlation);
        }

        // Entra never redirects to a URI that is not registered exactly; the error is shown on its own page.
        string? redirectUri = q["redirect_uri"];
        redirectUri ??= app.RedirectUris.Count > 0 ? app.RedirectUris[0] : null;
        if (redirectUri is null || !app.RedirectUris.Contains(redirectUri, StringComparer.Ordinal))
        {
            return HtmlPages.EntraError("AADSTS50011", EntraErrors.RedirectMismatch(redirectUri ?? string.Empty, clientId), state.Now, correlation);
        }

        string? stateParam = q["state"];
        var responseMode = (string?)q["response_mode"] ?? "query";
        IResult Fail(string error, int code, string message) =>
            RedirectWithError(redirectUri, responseMode, error, $"AADSTS{code}: {message}", stateParam);

        if (q["response_type"] != "code")
        {
            return Fail("unsupported_response_type", 700051, $"response_type '{q["response_type"]}' is not enabled for the application.");
        }

        string? scope = q["scope"];
        if (string.IsNullOrWhiteSpace(scope))
        {
            return Fail("invalid_request", 900144, EntraErrors.MissingParameter("scope"));
        }

        var scopes = EntraScopes.Parse(scope);
        if (scopes.Invalid.Count > 0 || (scopes.Resource.Count == 0 && !scopes.OpenId))
        {
            // The emulator only issues tokens for Azure DevOps, so a scope of any other resource is refused. A sign-in
            // alone ("openid profile email") is fine: Entra answers it with an id token (and a Microsoft Graph token).
            return Fail("invalid_scope", 70011, EntraErrors.InvalidScope(scopes.Invalid.Count > 0 ? scopes.Invalid[0] : scope));
        }

        string? challenge = q["code_challenge"];
        var method = (string?)q["code_challenge_method"] ?? (challenge is null ? null : "plain");
        if (method is not null && method is not ("S256" or "plain"))
        {
            return Fail("invalid_request", 50149, "Invalid Code_Challenge_method parameter.");
        }

        if (method == "S256" && challenge?.Length != 43)
        {
            return Fail("invalid_request", 501491, "Invalid size of Code_Challenge parameter.");
        }

        var pending = state.CreatePending(new PendingAuthorization(
            Secrets.NewToken("ctx_", 24), TokenKind.Entra, tenant, app.ClientId, app.DisplayName, redirectUri,
            scopes.Granted, scopes.Granted.Concat(scopes.Oidc).Select(EntraScopes.Describe).ToArray(),
            scopes.OfflineAccess, scopes.OpenId, stateParam, challenge, challenge is null ? null : method, q["nonce"], responseMode,
            string.Equals(q["prompt"], "consent", StringComparison.OrdinalIgnoreCase), state.Now, Email: scopes.Oidc.Contains("email")));

        var users = state.Read(d => d.Users
            .Where(u => resolved.Multi || u.TenantId == resolved.Tenant!.Id || u.GuestOfTenantIds.Contains(resolved.Tenant.Id))
            .ToArray());
        return HtmlPages.PickAccount($"{EmulatorUrls.Login(http, tenant)}/oauth2/v2.0/login", pending.Id, app.DisplayName, users);
    }

    public static async Task<IResult> SignIn(string tenant, HttpContext http, EmulatorState state)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var correlation = EntraErrors.CorrelationId(http);
        var pending = state.FindPending(form["ctx"]);
        if (pending is null || pending.Kind != TokenKind.Entra)
        {
            return HtmlPages.EntraError("AADSTS9002313", EntraErrors.Malformed, state.Now, correlation);
        }

        var resolved = EntraApi.ResolveTenant(state, pending.TenantSegment);
        var upn = form["login"].ToString().Trim();
        var user = state.FindUser(upn);
        if (user is null)
        {
            return HtmlPages.EntraError("AADSTS50034", EntraErrors.UserNotFound(upn, resolved.Tenant?.DisplayName ?? "Microsoft Entra ID"), state.Now, correlation);
        }

        string tenantId;
        if (resolved.Multi)
        {
            // common/organizations sign the user into their home tenant, which is why guests need the resource tenant's id.
            tenantId = user.TenantId;
        }
        else if (user.TenantId == resolved.Tenant!.Id || user.GuestOfTenantIds.Contains(resolved.Tenant.Id))
        {
            tenantId = resolved.Tenant.Id;
        }
        else
        {
            return HtmlPages.EntraError("AADSTS50020", EntraErrors.UserNotInTenant(user.UserPrincipalName, user.TenantId, resolved.Tenant.DisplayName, pending.ClientId, pending.ClientName), state.Now, correlation);
        }

        pending = pending with { UserId = user.Id, TenantId = tenantId };
        state.UpdatePending(pending);
        if (!pending.ForceConsent && state.HasConsent(user.Id, pending.ClientId))
        {
            return Complete(state, pending);
        }

        return HtmlPages.Consent($"{EmulatorUrls.Login(http, tenant)}/oauth2/v2.0/consent", pending.Id, pending.ClientName, user.UserPrincipalName, pending.DisplayScopes);
    }

    public static async Task<IResult> Consent(string tenant, HttpContext http, EmulatorState state)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var pending = state.FindPending(form["ctx"]);
        if (pending?.UserId is not { } userId || pending.Kind != TokenKind.Entra)
        {
            return HtmlPages.EntraError("AADSTS9002313", EntraErrors.Malformed, state.Now, EntraErrors.CorrelationId(http));
        }

        if (form["consent"] != "accept")
        {
            state.RemovePending(pending.Id);
            return RedirectWithError(pending.RedirectUri, pending.ResponseMode, "access_denied", $"AADSTS65004: {EntraErrors.DeclinedConsent}", pending.State);
        }

        state.AddConsent(userId, pending.ClientId);
        return Complete(state, pending);
    }

    private static IResult Complete(EmulatorState state, PendingAuthorization pending)
    {
        state.RemovePending(pending.Id);
        var code = state.StoreCode(new AuthCodeRecord(
            TokenKind.Entra, pending.ClientId, pending.RedirectUri, pending.UserId!.Value, pending.TenantId!, pending.Scopes,
            pending.OfflineAccess, pending.OpenId, pending.CodeChallenge, pending.CodeChallengeMethod, pending.Nonce, state.Now, false, pending.Email));
        return Respond(pending.RedirectUri, pending.ResponseMode, new()
        {
            ["code"] = code,
            ["state"] = pending.State,
            ["session_state"] = Guid.NewGuid().ToString(),
        });
    }

    internal static IResult RedirectWithError(string redirectUri, string responseMode, string error, string description, string? state) =>
        Respond(redirectUri, responseMode, new()
        {
            ["error"] = error,
            ["error_description"] = description,
            ["state"] = state,
        });

    internal static IResult Respond(string redirectUri, string responseMode, Dictionary<string, string?> fields)
    {
        if (responseMode == "form_post")
        {
            return HtmlPages.FormPost(redirectUri, fields);
        }

        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, fields.Where(f => f.Value is not null)));
    }
}
