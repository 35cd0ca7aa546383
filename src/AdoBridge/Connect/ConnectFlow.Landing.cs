using System.Text;
using AdoBridge.Apps;
using AdoBridge.Connections;
using AdoBridge.Storage;

namespace AdoBridge.Connect;

internal sealed partial class ConnectFlow
{
    public async Task<IResult> LandingAsync(string token, HttpContext http, CancellationToken ct)
    {
        var (session, refusal) = await OpenAsync(token, http, Binding.Read, ct);
        return refusal ?? await RenderLandingAsync(token, session!, null, null, ct);
    }

    private async Task<IResult> RenderLandingAsync(string token, ConnectSessionEntity session, string? patError, string? enteredOrganization, CancellationToken ct)
    {
        var available = await AppsForAsync(session, ct);
        var oauthApps = available.Where(a => a.Type is AppTypes.Entra or AppTypes.Legacy).ToList();
        var patAllowed = options.CurrentValue.AllowPatConnections && (session.AppName is null || available.Any(a => a.Type == AppTypes.Pat));
        var b = new StringBuilder();
        b.Append($"<h1>Connect {ConnectPages.E(Product)} to Azure DevOps</h1>");
        b.Append(await ReconnectNoteAsync(session, oauthApps, ct));
        b.Append($"<p>{ConnectPages.E(Product)} asks to reach your Azure DevOps organisations{(session.EndUserDisplayName is null ? string.Empty : $" for <strong>{ConnectPages.E(session.EndUserDisplayName)}</strong>")}. It will be able to:</p><ul>");
        foreach (var scope in oauthApps.SelectMany(a => a.Definition.Scopes ?? []).DefaultIfEmpty("vso.project").Distinct())
        {
            b.Append($"<li>{ConnectPages.E(ConnectPages.DescribeScope(scope))}</li>");
        }

        b.Append("</ul>");
        foreach (var app in oauthApps)
        {
            var label = app.Type == AppTypes.Legacy ? "Sign in with Azure DevOps" : "Sign in with Microsoft";
            b.Append($"<form method=\"post\" action=\"/connect/{ConnectPages.E(token)}/start\"><input type=\"hidden\" name=\"app\" value=\"{ConnectPages.E(app.Name)}\">");
            b.Append($"<button type=\"submit\" data-testid=\"signin-{ConnectPages.E(app.Name)}\">{label}{(oauthApps.Count > 1 ? $" ({ConnectPages.E(app.Definition.DisplayName ?? app.Name)})" : string.Empty)}</button></form>");
        }

        if (patAllowed)
        {
            if (oauthApps.Count > 0)
            {
                b.Append("<hr><p class=\"muted\">Or connect with a personal access token (needed for Azure DevOps Server, or where your organisation blocks third-party OAuth apps).</p>");
            }

            if (patError is not null)
            {
                b.Append($"<div class=\"error\" role=\"alert\" data-testid=\"pat-error\"><p>{ConnectPages.E(patError)}</p></div>");
            }

            b.Append($"""
                <form method="post" action="/connect/{ConnectPages.E(token)}/pat" autocomplete="off">
                <label for="organization">Organisation name or URL</label>
                <input type="text" id="organization" name="organization" placeholder="fabrikam or https://dev.azure.com/fabrikam" value="{ConnectPages.E(enteredOrganization)}" required>
                <label for="pat">Personal access token</label>
                <input type="password" id="pat" name="pat" required>
                <p class="muted">Scopes needed: {ConnectPages.E(PatConnector.RequiredScopesText)}.</p>
                <button type="submit" class="secondary" data-testid="pat-submit">Connect with token</button></form>
                """);
        }

        if (oauthApps.Count == 0 && !patAllowed)
        {
            b.Append($"<div class=\"error\"><p>No sign-in method is set up for this link.</p></div><p>{ConnectPages.E(Product)}'s administrator needs to configure an app in AdoBridge.</p>");
        }

        if (session.ReturnUrl is not null)
        {
            b.Append($"<p class=\"muted\"><a href=\"{ConnectPages.E(Back(session, "cancelled"))}\">Cancel and go back to {ConnectPages.E(Product)}</a></p>");
        }

        return ConnectPages.Page($"Connect {Product} to Azure DevOps", b.ToString(), patError is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    /// <summary>Why the user is asked again: a migration from a legacy app, or a connection that stopped working.</summary>
    private async Task<string> ReconnectNoteAsync(ConnectSessionEntity session, IReadOnlyList<ResolvedApp> oauthApps, CancellationToken ct)
    {
        if (session.ReconnectConnectionId is null)
        {
            return string.Empty;
        }

        var existing = await connections.FindAsync(session.EnvironmentId, session.ReconnectConnectionId, ct);
        if (existing is null)
        {
            return string.Empty;
        }

        if (existing.AuthType == AuthTypes.Legacy && oauthApps.Any(a => a.Type == AppTypes.Entra))
        {
            return $"<div class=\"note\" data-testid=\"migration-note\"><p><strong>Why am I asked again?</strong> {ConnectPages.E(Product)} is moving from the older Azure DevOps sign-in, which Microsoft is retiring, to Microsoft Entra ID. Sign in once more and your existing setup carries on unchanged.</p></div>";
        }

        return existing.Status == ConnectionStatus.Active
            ? "<div class=\"note\"><p>You are renewing an existing connection; it keeps its settings.</p></div>"
            : $"<div class=\"note\" data-testid=\"reauth-note\"><p><strong>Your connection stopped working.</strong> {ConnectPages.E(existing.StatusReason ?? "Azure DevOps no longer accepts its sign-in.")} Sign in again to restore it.</p></div>";
    }
}
