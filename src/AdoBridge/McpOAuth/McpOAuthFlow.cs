using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using AdoBridge.Connect;
using AdoBridge.Connections;
using AdoBridge.ConnectSessions;
using AdoBridge.Environments;
using AdoBridge.Hosting;
using AdoBridge.Security;
using AdoBridge.Storage;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AdoBridge.McpOAuth;

/// <summary>
/// The authorization endpoint after OpenIddict has checked the request (client, redirect URI, PKCE S256, resource): the
/// user signs in through AdoBridge's own connect flow (a connect session whose return URL is this request again, bound to
/// the browser by a sealed cookie), approves the client on a consent page naming it, and gets a code for that connection.
/// </summary>
internal sealed class McpOAuthFlow(
    ConnectSessionService sessions,
    ConnectionService connections,
    McpOAuthGrants grants,
    McpResource resource,
    SecretProtector protector,
    SandboxMode sandbox,
    IOptionsMonitor<McpOAuthOptions> options,
    IOptionsMonitor<AdoBridgeOptions> adoBridge,
    TimeProvider clock)
{
    private const string CookiePrefix = "adb_oauth_";

    public async Task<IResult> AuthorizeAsync(HttpContext http, CancellationToken ct)
    {
        var request = http.GetOpenIddictServerRequest();
        if (request?.ClientId is null)
        {
            return ConnectPages.Error("Not an authorization request", "This page is reached through an MCP client's sign-in.", "Start from your MCP client.", null, null, Product);
        }

        var resources = request.GetResources();
        if (resources.Any(r => r != resource.Url))
        {
            return Refuse(Errors.InvalidTarget, $"The only resource here is {resource.Url}.");
        }

        var client = await grants.FindClientAsync(request.ClientId, ct);
        if (client is null)
        {
            return Refuse(Errors.InvalidClient, "The client is not registered.");
        }

        // prompt=login or prompt=consent: the client wants the user asked, whatever was remembered.
        if (!http.Request.HasFormContentType && !request.HasPromptValue(PromptValues.Login) && !request.HasPromptValue(PromptValues.Consent)
            && await RememberedGrantAsync(http, request, client, ct) is { } grant)
        {
            return SignIn(http, null, grant.Connection, grant.EnvironmentId, grant.AuthorizationId);
        }

        var key = FlowKey(request);
        var session = await SignedInSessionAsync(http, key, ct);
        if (session is null)
        {
            if (http.Request.HasFormContentType)
            {
                return ConnectPages.Error("Start again from your MCP client", "This sign-in is not known to this browser (or it expired).", "Start connecting again from your MCP client.", null, null, Product, StatusCodes.Status400BadRequest);
            }

            return await StartSignInAsync(http, key, client, ct);
        }

        var connectionId = session.ConnectionId!;
        var connection = await connections.FindAsync(session.EnvironmentId, connectionId, ct);
        if (connection is null)
        {
            return Refuse(Errors.AccessDenied, "The connection made at sign-in no longer exists.");
        }

        var remembered = await grants.FindConsentAsync(client.Id, connectionId, ct);
        if (remembered is null)
        {
            if (!http.Request.HasFormContentType)
            {
                return ConsentPage(request, client, connection);
            }

            if (ConnectOrigin.Check(http) is { } refused)
            {
                return refused;
            }

            var form = await http.Request.ReadFormAsync(ct);
            if (form["consent"] != "approve")
            {
                http.Response.Cookies.Delete(CookiePrefix + key, CookieOptions(http));
                // Denied when asked again (prompt=consent): an earlier approval is no longer used without asking.
                http.Response.Cookies.Delete(GrantCookie(client), GrantCookieOptions(http));
                return Refuse(Errors.AccessDenied, "The user did not approve this client.");
            }

            remembered = await grants.RememberConsentAsync(client.Id, connectionId, ct);
        }

        http.Response.Cookies.Append(GrantCookie(client), protector.Protect($"{remembered}\n{session.EnvironmentId}", GrantPurpose(client)), GrantCookieOptions(http));
        return SignIn(http, key, connection, session.EnvironmentId, remembered);
    }

    private IResult SignIn(HttpContext http, string? flowKey, ConnectionEntity connection, string environmentId, string authorizationId)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, connection.Id)
            .SetClaim(Claims.Name, connection.IdentityName ?? connection.EndUserDisplayName ?? connection.Id)
            .SetClaim(McpOAuthClaims.Environment, environmentId);
        identity.SetScopes(McpResource.Scope, Scopes.OfflineAccess);
        identity.SetResources(resource.Url);
        identity.SetAuthorizationId(authorizationId);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        if (flowKey is not null)
        {
            http.Response.Cookies.Delete(CookiePrefix + flowKey, CookieOptions(http));
        }

        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// The consent this browser gave this client before, if it still stands. Connect sessions made for MCP sign-ins carry
    /// no end-user id of their own, so nothing but the browser links a later sign-in to an earlier one: the consent is
    /// remembered as OpenIddict's authorization (client + connection, revoked with the client's tokens by the admin API)
    /// and the browser holds a sealed cookie naming it, one per client. It is used only for the client it names, while
    /// the authorization is valid, its connection active, and the request asks no scope beyond it; else the user signs
    /// in and is asked again. A different client_id never matches (consent per registered client).
    /// </summary>
    private async Task<(ConnectionEntity Connection, string EnvironmentId, string AuthorizationId)?> RememberedGrantAsync(HttpContext http, OpenIddictRequest request, OAuthClient client, CancellationToken ct)
    {
        if (http.Request.Cookies[GrantCookie(client)] is not { } cookie)
        {
            return null;
        }

        string[] parts;
        try
        {
            parts = protector.Unprotect(cookie, GrantPurpose(client)).Split('\n');
        }
        catch (CryptographicException)
        {
            return null;
        }

        if (parts is not [var authorizationId, var environmentId]
            || await grants.FindValidConsentAsync(authorizationId, client.Id, request.GetScopes(), ct) is not { } connectionId
            || await connections.FindAsync(environmentId, connectionId, ct) is not { Status: ConnectionStatus.Active } connection)
        {
            return null;
        }

        return (connection, environmentId, authorizationId);
    }

    private static string GrantCookie(OAuthClient client) => "adb_mcp_grant_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(client.Id)))[..16];

    private static string GrantPurpose(OAuthClient client) => "mcp-oauth-grant:" + client.Id;

    private CookieOptions GrantCookieOptions(HttpContext http) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = http.Request.IsHttps || resource.IsHttps,
        Path = McpResource.AuthorizePath,
        MaxAge = options.CurrentValue.RefreshTokenLifetime,
    };

    private async Task<ConnectSessionEntity?> SignedInSessionAsync(HttpContext http, string key, CancellationToken ct)
    {
        if (http.Request.Cookies[CookiePrefix + key] is not { } cookie)
        {
            return null;
        }

        string sessionId;
        try
        {
            sessionId = protector.Unprotect(cookie, Purpose(key));
        }
        catch (CryptographicException)
        {
            return null;
        }

        var session = await sessions.FindByIdAsync(sessionId, ct);
        return session is { Status: ConnectSessionStatus.Completed, ConnectionId: { } id } && id != "pending" && session.CompletedAt > clock.GetUtcNow() - TimeSpan.FromMinutes(30)
            ? session : null;
    }

    private async Task<IResult> StartSignInAsync(HttpContext http, string key, OAuthClient client, CancellationToken ct)
    {
        // Back to this very request once the connect flow made the connection; the query is OpenIddict's checked request.
        var returnUrl = resource.Issuer.TrimEnd('/') + McpResource.AuthorizePath + http.Request.QueryString.Value;
        var environment = options.CurrentValue.Environment ?? (sandbox.Enabled ? EnvironmentService.Sandbox : EnvironmentService.Production);
        var (session, url) = await sessions.CreateAsync(environment, "mcp-oauth", "MCP: " + client.Name, null, returnUrl, null, ct);
        http.Response.Cookies.Append(CookiePrefix + key, protector.Protect(session.Id, Purpose(key)), CookieOptions(http));
        return Results.Redirect(url);
    }

    private CookieOptions CookieOptions(HttpContext http) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = http.Request.IsHttps || resource.IsHttps,
        Path = McpResource.AuthorizePath,
        MaxAge = TimeSpan.FromMinutes(30),
    };

    private static IResult ConsentPage(OpenIddictRequest request, OAuthClient client, ConnectionEntity connection)
    {
        var b = new StringBuilder();
        b.Append($"<h1>Allow {ConnectPages.E(client.Name)}?</h1>");
        b.Append($"<p><strong data-testid=\"client-name\">{ConnectPages.E(client.Name)}</strong> asks to use AdoBridge's MCP tools as your connection ");
        b.Append($"<strong>{ConnectPages.E(connection.IdentityName ?? connection.Id)}</strong> ({ConnectPages.E(string.Join(", ", ConnectionService.OrganizationsOf(connection)))}): ");
        b.Append("read and change repositories, pull requests, work items and pipelines as you.</p>");
        b.Append($"<p>It will be sent back to <code data-testid=\"redirect-uri\">{ConnectPages.E(request.RedirectUri)}</code>. Client id: <code>{ConnectPages.E(request.ClientId)}</code>.</p>");
        b.Append("<p class=\"muted\">Only approve a client you started yourself. You can revoke its access later.</p>");
        b.Append($"<form method=\"post\" action=\"{McpResource.AuthorizePath}\">");
        foreach (var (name, value) in request.GetParameters())
        {
            if (name is "connectionId" or "status" or "consent")
            {
                continue;
            }

            b.Append($"<input type=\"hidden\" name=\"{ConnectPages.E(name)}\" value=\"{ConnectPages.E((string?)value)}\">");
        }

        b.Append("<button type=\"submit\" name=\"consent\" value=\"approve\" data-testid=\"approve\">Approve</button> ");
        b.Append("<button type=\"submit\" name=\"consent\" value=\"deny\" data-testid=\"deny\">Deny</button></form>");
        return ConnectPages.Page("Approve " + client.Name, b.ToString());
    }

    private static IResult Refuse(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    /// <summary>One cookie per authorization request: the PKCE challenge is fresh for each.</summary>
    private static string FlowKey(OpenIddictRequest request)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{request.ClientId}\n{request.RedirectUri}\n{request.CodeChallenge}")))[..24];

    private static string Purpose(string key) => "mcp-oauth-flow:" + key;

    private string Product => adoBridge.CurrentValue.ProductName;
}
