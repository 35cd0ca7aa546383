using AdoBridge.Apps;
using AdoBridge.AzureDevOps;
using AdoBridge.ConnectSessions;
using AdoBridge.Storage;

namespace AdoBridge.Connect;

internal sealed partial class ConnectFlow
{
    /// <summary>Sends the browser to the identity provider with a fresh one-time `state` and a PKCE S256 challenge.</summary>
    public async Task<IResult> StartAsync(string token, HttpContext http, CancellationToken ct)
    {
        // The form is read before the browser is bound: a post that is not our page's form binds nothing.
        var form = await ConnectForm.ReadAsync(http.Request, ct);
        if (form.Problem is not null)
        {
            return FormRefused(token, form);
        }

        var (session, refusal) = await OpenAsync(token, http, Binding.Bind, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        var app = (await AppsForAsync(session!, ct)).FirstOrDefault(a => a.Name == form.Fields!["app"].ToString() && a.Type is AppTypes.Entra or AppTypes.Legacy);
        if (app is null)
        {
            return ConnectPages.Error("Choose a sign-in method", "The sign-in method chosen is not available for this link.", "Go back and pick one of the buttons shown.", $"/connect/{token}", null, Product);
        }

        var state = ConnectSessionService.NewSecret();
        var verifier = ConnectSessionService.NewSecret() + ConnectSessionService.NewSecret();
        await sessions.SaveFlowAsync(session!.Id, new ConnectFlowState { AppName = app.Name, CodeVerifier = verifier, Token = token }, state, ct);

        string authorize;
        if (app.Type == AppTypes.Legacy)
        {
            authorize = hosts.Resolve(AzureDevOpsHosts.VsspsApp + "/oauth2/authorize") + Query(
                ("client_id", app.Definition.ClientId), ("response_type", "Assertion"), ("state", state),
                ("scope", string.Join(' ', app.Definition.Scopes ?? [])), ("redirect_uri", app.RedirectUri));
        }
        else
        {
            authorize = hosts.Resolve(IdentityClient.Authority(app) + "/oauth2/v2.0/authorize") + Query(
                ("client_id", app.Definition.ClientId), ("response_type", "code"), ("redirect_uri", app.RedirectUri), ("response_mode", "query"),
                ("scope", IdentityClient.EntraScopes(app)), ("state", state), ("code_challenge", Pkce(verifier)), ("code_challenge_method", "S256"),
                ("prompt", "select_account"));
        }

        return Results.Redirect(authorize);
    }

    /// <summary>Where the identity provider returns the browser: checks state and browser, redeems the code, discovers organisations.</summary>
    public async Task<IResult> CallbackAsync(HttpContext http, CancellationToken ct)
    {
        var query = http.Request.Query;
        string? state = query["state"];
        if (string.IsNullOrEmpty(state))
        {
            return ConnectPages.Error("Sign-in could not be completed", "The response from the sign-in page carries no state, so it cannot be matched to a connect request.", $"Start again from {Product}.", null, null, Product);
        }

        var session = await sessions.FindByStateAsync(state, ct);
        if (session is null)
        {
            return StateRejected();
        }

        // The browser is checked before the state is used up: a callback replayed from another browser is refused and
        // the user's own browser can still finish.
        var refusal = CheckUsable(session) ?? await CheckBrowserAsync(session, http, Binding.Require, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!await sessions.ConsumeStateAsync(session.Id, state, ct))
        {
            return StateRejected();
        }

        var flow = sessions.OpenFlow(session);
        var retry = flow.Token is null ? null : $"/connect/{flow.Token}";
        string? error = query["error"];
        if (!string.IsNullOrEmpty(error))
        {
            var (failure, page) = SignInError(session, error, query["error_description"].ToString(), retry);
            return await FailedAsync(session, failure, page, ct);
        }

        var app = (await AppsForAsync(session, ct)).FirstOrDefault(a => a.Name == flow.AppName);
        string? code = query["code"];
        if (app is null || string.IsNullOrEmpty(code))
        {
            return ConnectPages.Error("Sign-in could not be completed", "The sign-in response has no authorization code.", null, retry, Back(session, "error", "no_code"), Product);
        }

        TokenResult tokens;
        try
        {
            tokens = await identity.ExchangeCodeAsync(app, code, app.RedirectUri, app.Type == AppTypes.Legacy ? null : flow.CodeVerifier, ct);
        }
        catch (IdentityException e)
        {
            LogExchangeFailed(logger, session.Id, e.AadstsCode ?? e.Error);
            var mismatch = e.AadstsCode == "AADSTS50011" || e.AadstsCode == "AADSTS500112";
            return await FailedAsync(session, mismatch ? "redirect_uri_mismatch" : e.AadstsCode ?? e.Error, mismatch
                ? ConnectPages.Error("This app is not set up completely", $"Microsoft refused the redirect URI. The administrator must add exactly {app.RedirectUri} as a Web redirect URI of the app registration.", null, null, Back(session, "error", "redirect_uri_mismatch"), Product, StatusCodes.Status502BadGateway)
                : ConnectPages.Error("Sign-in could not be completed", $"Microsoft did not accept the sign-in: {e.Description}", "Try again; if it keeps failing, tell the administrator the code " + (e.AadstsCode ?? e.Error) + ".", retry, Back(session, "error", e.AadstsCode ?? e.Error), Product, StatusCodes.Status502BadGateway), ct);
        }
        catch (IdentityUnavailableException)
        {
            return ConnectPages.Error("Microsoft sign-in is not answering", "The sign-in service could not be reached to finish signing you in.", "Try again in a minute.", retry, Back(session, "error", "identity_unavailable"), Product, StatusCodes.Status503ServiceUnavailable);
        }

        var credential = DevOpsCredential.Bearer(tokens.AccessToken);
        DevOpsProfile profile;
        IReadOnlyList<DevOpsOrganization> organizations;
        try
        {
            profile = await devops.GetProfileAsync(credential, ct);
            organizations = await devops.ListOrganizationsAsync(credential, profile.Id, ct);
        }
        catch (DevOpsException e)
        {
            return await FailedAsync(session, "azure_devops_refused", ConnectPages.Error("Azure DevOps did not accept the sign-in", $"Signing in worked, but Azure DevOps refused the account: {e.Message}",
                "If you have several Microsoft accounts, try again and pick your work account.", retry, Back(session, "error", "azure_devops_refused"), Product, StatusCodes.Status502BadGateway), ct);
        }

        if (organizations.Count == 0)
        {
            return await FailedAsync(session, "no_organizations", ConnectPages.Error("No Azure DevOps organisation found", $"{profile.DisplayName} ({profile.Email}) is not a member of any Azure DevOps organisation that this sign-in can reach.",
                "Did you sign in with the right account? Try again and pick the account you use for Azure DevOps, or ask your organisation's administrator to add you.", retry, Back(session, "error", "no_organizations"), Product), ct);
        }

        flow.AccessToken = tokens.AccessToken;
        flow.RefreshToken = tokens.RefreshToken;
        flow.ExpiresAt = tokens.ExpiresAt;
        flow.Scope = tokens.Scope;
        flow.Profile = profile;
        flow.Organizations = [.. organizations];
        await sessions.SaveFlowAsync(session.Id, flow, null, ct);
        return Results.Redirect($"/connect/{flow.Token}/organizations");
    }

    private IResult StateRejected()
    {
        LogStateRejected(logger);
        return ConnectPages.Error("Sign-in could not be completed", "This sign-in response does not match any connect request in progress: it was already used, or it did not come from this AdoBridge.",
            $"Start again from {Product}.", null, null, Product);
    }

    /// <summary>The page for a post that could not be read as the page's form.</summary>
    private IResult FormRefused(string token, ConnectForm form)
        => ConnectPages.Error("The form could not be accepted", form.Problem!, "Go back to the connect page and use its buttons and fields.", $"/connect/{token}", null, Product, form.Status);

    /// <summary>The error code the session records for an error the sign-in page sent back, and the page that explains it.</summary>
    private (string Code, IResult Page) SignInError(ConnectSessionEntity session, string error, string description, string? retry)
    {
        var code = description.StartsWith("AADSTS", StringComparison.Ordinal) ? description.Split(':', 2)[0] : error;
        return (error, code) switch
        {
            ("access_denied", _) or (_, "AADSTS65004") => ("consent_declined", ConnectPages.Error("You declined access", $"{Product} was not given access to Azure DevOps because the permission request was declined.",
                $"To connect, try again and choose Accept. If your organisation requires an administrator to approve apps, ask them to grant consent to {Product}.", retry, Back(session, "error", "consent_declined"), Product)),
            (_, "AADSTS50020") => ("wrong_account", ConnectPages.Error("Wrong account", "The account you chose does not belong to the directory this app signs in to.",
                "Try again and pick your work account for this organisation (not a personal or other company account).", retry, Back(session, "error", "wrong_account"), Product)),
            (_, "AADSTS50011") => ("redirect_uri_mismatch", ConnectPages.Error("This app is not set up completely", "Microsoft refused the redirect URI of this app.",
                $"The administrator must add {urls.BaseUrl}/connect/callback as a redirect URI in the app registration.", null, Back(session, "error", "redirect_uri_mismatch"), Product)),
            _ => (code, ConnectPages.Error("Sign-in could not be completed", $"The sign-in page answered: {description.Split('\n')[0]}", "Try again; if it keeps failing, tell your administrator the code shown.",
                retry, Back(session, "error", code), Product)),
        };
    }

    /// <summary>
    /// Records on the session why this sign-in failed (so whoever waits on the link, such as `adobridge connect`, can tell
    /// the user declined), then shows the page. The link stays usable: "Try again" can still complete it.
    /// </summary>
    private async Task<IResult> FailedAsync(ConnectSessionEntity session, string code, IResult page, CancellationToken ct)
    {
        await sessions.FailAsync(session.Id, code.Length <= 100 ? code : code[..100], ct);
        return page;
    }

    private static string Query(params (string Key, string? Value)[] parameters)
        => "?" + string.Join('&', parameters.Where(p => p.Value is not null).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}"));

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Connect callback refused: unknown, replayed or forged state")]
    private static partial void LogStateRejected(ILogger logger);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Code exchange failed for connect session {SessionId}: {Code}")]
    private static partial void LogExchangeFailed(ILogger logger, string sessionId, string code);
}
