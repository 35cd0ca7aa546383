using System.Text;
using AdoBridge.Apps;
using AdoBridge.AzureDevOps;
using AdoBridge.Connections;
using AdoBridge.ConnectSessions;
using AdoBridge.Storage;

namespace AdoBridge.Connect;

internal sealed partial class ConnectFlow
{
    public async Task<IResult> OrganizationsAsync(string token, HttpContext http, CancellationToken ct)
    {
        var (session, refusal) = await OpenAsync(token, http, Binding.Require, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        var flow = sessions.OpenFlow(session!);
        if (flow.Organizations is null || flow.Profile is null)
        {
            return Results.Redirect($"/connect/{token}");
        }

        var previous = session!.ReconnectConnectionId is null ? [] : (await connections.FindAsync(session.EnvironmentId, session.ReconnectConnectionId, ct)) is { } existing
            ? ConnectionService.OrganizationsOf(existing) : [];
        var b = new StringBuilder();
        b.Append("<h1>Choose organisations</h1>");
        b.Append($"<p>Signed in as <strong>{ConnectPages.E(flow.Profile.DisplayName)}</strong>{(flow.Profile.Email is null ? string.Empty : $" ({ConnectPages.E(flow.Profile.Email)})")}. Which organisations may {ConnectPages.E(Product)} reach?</p>");
        b.Append($"<form method=\"post\" action=\"/connect/{ConnectPages.E(token)}/organizations\">");
        foreach (var org in flow.Organizations)
        {
            var isChecked = flow.Organizations.Count == 1 || previous.Contains(org.Name, StringComparer.OrdinalIgnoreCase) ? " checked" : string.Empty;
            b.Append($"<label class=\"org\"><input type=\"checkbox\" name=\"organizations\" value=\"{ConnectPages.E(org.Name)}\" data-testid=\"org-{ConnectPages.E(org.Name)}\"{isChecked}> dev.azure.com/{ConnectPages.E(org.Name)}</label>");
        }

        b.Append("<button type=\"submit\" data-testid=\"connect-organizations\">Connect</button></form>");
        return ConnectPages.Page("Choose organisations", b.ToString());
    }

    /// <summary>Checks access to each chosen organisation, saves the connection, and returns the user to the product.</summary>
    public async Task<IResult> ChooseOrganizationsAsync(string token, HttpContext http, CancellationToken ct)
    {
        var form = await ConnectForm.ReadAsync(http.Request, ct);
        if (form.Problem is not null)
        {
            return FormRefused(token, form);
        }

        var (session, refusal) = await OpenAsync(token, http, Binding.Require, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        var flow = sessions.OpenFlow(session!);
        if (flow.Organizations is null || flow.AccessToken is null || flow.Profile is null)
        {
            return Results.Redirect($"/connect/{token}");
        }

        var chosen = form.Fields!["organizations"].Where(o => o is not null).Select(o => o!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var known = flow.Organizations.Select(o => o.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (chosen.Count == 0 || chosen.Any(o => !known.Contains(o)))
        {
            return ConnectPages.Error("Choose at least one organisation", chosen.Count == 0 ? "No organisation was selected." : "An organisation that was not offered was submitted.",
                null, $"/connect/{token}/organizations", null, Product);
        }

        var credential = DevOpsCredential.Bearer(flow.AccessToken);
        foreach (var org in chosen)
        {
            try
            {
                await devops.GetConnectionDataAsync(AzureDevOpsHosts.OrganizationUrl(org), credential, ct);
            }
            catch (DevOpsException e) when (e.Kind == DevOpsFailure.Unauthorized && e.Message.Contains("TF400813", StringComparison.Ordinal))
            {
                return ConnectPages.Error("Your organisation blocks this kind of access",
                    $"The organisation '{org}' does not allow third-party applications to use OAuth, so {Product} cannot reach it with this sign-in.",
                    $"Ask an administrator of {org} to turn on \"Third-party application access via OAuth\" under Organization settings → Policies, or connect with a personal access token instead.",
                    $"/connect/{token}", Back(session!, "error", "oauth_policy_disabled"), Product, StatusCodes.Status403Forbidden);
            }
            catch (DevOpsException e)
            {
                return ConnectPages.Error("Azure DevOps refused access", $"The organisation '{org}' answered: {e.Message}", "Pick another organisation, or try again later.",
                    $"/connect/{token}/organizations", Back(session!, "error", "azure_devops_refused"), Product, StatusCodes.Status502BadGateway);
            }
        }

        var app = (await AppsForAsync(session!, ct)).First(a => a.Name == flow.AppName);
        var tokens = new TokenResult(flow.AccessToken, flow.RefreshToken, flow.ExpiresAt, flow.Scope);
        return await FinishAsync(token, session!, new NewConnection(session!.EnvironmentId, session.EndUserId, session.EndUserDisplayName, app.Name,
            app.Type == AppTypes.Legacy ? AuthTypes.Legacy : AuthTypes.Entra, chosen.Select(o => o.ToLowerInvariant()).ToList(), null, flow.Profile,
            app.Definition.Tenant, flow.Scope, tokens, session.ReconnectConnectionId), ct);
    }

    public async Task<IResult> PatAsync(string token, HttpContext http, CancellationToken ct)
    {
        var form = await ConnectForm.ReadAsync(http.Request, ct);
        if (form.Fields is null)
        {
            return FormRefused(token, form);
        }

        var (session, refusal) = await OpenAsync(token, http, Binding.Bind, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!options.CurrentValue.AllowPatConnections)
        {
            return ConnectPages.Error("Tokens are not accepted here", "This AdoBridge does not accept personal access tokens.", null, $"/connect/{token}", Back(session!, "error"), Product, StatusCodes.Status403Forbidden);
        }

        var organization = form.Fields["organization"].ToString();
        var pat = form.Fields["pat"].ToString();

        // A value that cannot be right is named on the form, the token's own problem first; it is not shown back.
        var patProblem = PatConnector.Check(pat);
        if (patProblem is not null || form.Problem is not null)
        {
            var cleanOrganization = organization.Length <= 200 && !organization.Any(char.IsControl) ? organization : null;
            return await RenderLandingAsync(token, session!, patProblem is null ? form.Problem : $"{patProblem.Message} {patProblem.Fix}", cleanOrganization, ct);
        }

        if (!OrganizationInput.TryParse(organization, out var target, out var parseError))
        {
            return await RenderLandingAsync(token, session!, parseError, organization, ct);
        }

        var patApp = (await AppsForAsync(session!, ct)).FirstOrDefault(a => a.Type == AppTypes.Pat
            && (target.ServerUrl is null ? a.Definition.AzureDevOps?.ServerUrl is null : SameServer(a.Definition.AzureDevOps?.ServerUrl, target.ServerUrl)));
        if (target.ServerUrl is not null && patApp is null)
        {
            // Only Server URLs an operator configured are contacted: AdoBridge is no open relay to arbitrary hosts.
            return await RenderLandingAsync(token, session!, "This Azure DevOps Server is not configured in AdoBridge. Ask your administrator to add it (an app of type 'pat' with its collection URL).", organization, ct);
        }

        DevOpsProfile identityOfPat;
        try
        {
            identityOfPat = await pats.VerifyAsync(target, pat, ct);
        }
        catch (ConnectRefusedException e)
        {
            return await RenderLandingAsync(token, session!, e.Fix is null ? e.Message : $"{e.Message} {e.Fix}", organization, ct);
        }

        return await FinishAsync(token, session!, new NewConnection(session!.EnvironmentId, session.EndUserId, session.EndUserDisplayName, patApp?.Name ?? "pat",
            AuthTypes.Pat, [target.Organization ?? target.ServerUrl!], target.ServerUrl, identityOfPat, null, null,
            new TokenResult(pat, null, null, null), session.ReconnectConnectionId), ct);
    }

    public async Task<IResult> DoneAsync(string token, CancellationToken ct)
    {
        var session = await sessions.FindByTokenAsync(token, ct);
        if (session?.Status != ConnectSessionStatus.Completed)
        {
            return ConnectPages.Error("Nothing to show", "This connect link has not been completed.", null, null, null, Product, StatusCodes.Status404NotFound);
        }

        return ConnectPages.Page("Connected", $"<h1>Connected</h1><p data-testid=\"connected\">{ConnectPages.E(Product)} can now reach Azure DevOps for you. You can close this window.</p><p class=\"muted\">Connection id: <code>{ConnectPages.E(session.ConnectionId)}</code></p>");
    }

    private async Task<IResult> FinishAsync(string token, ConnectSessionEntity session, NewConnection connection, CancellationToken ct)
    {
        // Claim the session first so two submissions cannot make two connections.
        var provisionalId = session.ReconnectConnectionId ?? "pending";
        if (!await sessions.CompleteAsync(session.Id, provisionalId, ct))
        {
            return ConnectPages.Error("This link was already used", "This connect link has been completed already.", null, null, Back(session, "expired"), Product, StatusCodes.Status410Gone);
        }

        var (saved, _) = await connections.SaveAsync(connection, ct);
        await sessions.SetConnectionAsync(session.Id, saved.Id, ct);
        return session.ReturnUrl is not null
            ? Results.Redirect(ReturnUrls.With(session.ReturnUrl, ("connectionId", saved.Id), ("status", saved.Status)))
            : Results.Redirect($"/connect/{token}/done");
    }

    private static bool SameServer(string? configured, string entered)
        => configured is not null && string.Equals(configured.TrimEnd('/'), entered.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
}
