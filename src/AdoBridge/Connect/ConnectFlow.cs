using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using AdoBridge.Apps;
using AdoBridge.AzureDevOps;
using AdoBridge.Connections;
using AdoBridge.ConnectSessions;
using AdoBridge.Hosting;
using Microsoft.Extensions.Options;
using AdoBridge.Storage;

namespace AdoBridge.Connect;

/// <summary>
/// The end user's side of connecting: the landing page, the sign-in round trip (Entra or legacy OAuth), the
/// organisation picker and the PAT form. A session is bound to the browser that first posts on its page (a cookie whose
/// hash is stored; opening the link binds nothing), and OAuth `state` values are one-time and only honoured from that browser.
/// </summary>
internal sealed partial class ConnectFlow(
    ConnectSessionService sessions,
    AppRegistry apps,
    IdentityClient identity,
    DevOpsClient devops,
    PatConnector pats,
    ConnectionService connections,
    AzureDevOpsHosts hosts,
    PublicUrls urls,
    IOptionsMonitor<AdoBridgeOptions> options,
    ILogger<ConnectFlow> logger)
{
    private string Product => options.CurrentValue.ProductName;

    /// <summary>What a request does with the browser binding of its session.</summary>
    private enum Binding
    {
        /// <summary>Opening the link (GET, HEAD): binds nothing, so a link preview or mail scanner changes nothing; a bound session still wants its browser.</summary>
        Read,

        /// <summary>The first POST (the user pressed a button on the page): binds an unbound session to this browser.</summary>
        Bind,

        /// <summary>Steps after the first POST: the session must be bound, to this browser.</summary>
        Require,
    }

    /// <summary>The session behind a link, checked for expiry, use and browser; or the page to show instead.</summary>
    private async Task<(ConnectSessionEntity? Session, IResult? Refusal)> OpenAsync(string token, HttpContext http, Binding binding, CancellationToken ct)
    {
        var session = await sessions.FindByTokenAsync(token, ct);
        if (session is null)
        {
            return (null, ConnectPages.Error("This link is not valid", "The connect link is incomplete or was never issued.", $"Go back to {Product} and start connecting again.", null, null, Product, StatusCodes.Status404NotFound));
        }

        var refusal = CheckUsable(session) ?? await CheckBrowserAsync(session, http, binding, ct);
        return (refusal is null ? session : null, refusal);
    }

    private IResult? CheckUsable(ConnectSessionEntity session)
    {
        if (session.Status == ConnectSessionStatus.Completed)
        {
            return ConnectPages.Error("This link was already used", "This connect link has been used once already and cannot be used again.",
                $"If you need to connect again, start from {Product}.", null, Back(session, "expired"), Product, StatusCodes.Status410Gone);
        }

        if (sessions.IsExpired(session))
        {
            return ConnectPages.Error("This link has expired", "Connect links are valid for a short time only, and this one has run out.",
                $"Go back to {Product} and start connecting again; you will get a fresh link.", null, Back(session, "expired"), Product, StatusCodes.Status410Gone);
        }

        return null;
    }

    private async Task<IResult?> CheckBrowserAsync(ConnectSessionEntity session, HttpContext http, Binding binding, CancellationToken ct)
    {
        var cookieName = CookieName(session.Id);
        if (session.BrowserHash is null)
        {
            switch (binding)
            {
                case Binding.Read:
                    return null;
                case Binding.Require:
                    return ConnectPages.Error("Start from the connect link", "This step belongs to a connect flow that was not started in this browser.", $"Open the link {Product} gave you.", null, null, Product);
            }

            var nonce = ConnectSessionService.NewSecret();
            if (await sessions.BindBrowserAsync(session.Id, ConnectSessionService.Hash(nonce), ct))
            {
                http.Response.Cookies.Append(cookieName, nonce, new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Lax,
                    // Behind a TLS-terminating proxy the request itself is http; the public URL says what the browser sees.
                    Secure = http.Request.IsHttps || urls.BaseUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase),
                    Path = "/connect",
                    MaxAge = options.CurrentValue.ConnectSessionLifetime,
                });
                session.BrowserHash = ConnectSessionService.Hash(nonce);
                return null;
            }

            // Another browser pressed the button first: the binding is its, and this one is checked against it below.
            session.BrowserHash = (await sessions.FindByIdAsync(session.Id, ct))?.BrowserHash;
        }

        var presented = http.Request.Cookies[cookieName];
        if (session.BrowserHash is null || presented is null || !CryptographicOperations.FixedTimeEquals(ConnectSessionService.Hash(presented), session.BrowserHash))
        {
            return ConnectPages.Error("Continue in the browser you started in", "This connect link was opened in another browser (or its cookies were cleared), so this browser cannot continue it.",
                $"Go back to {Product} for a new link and finish in one browser.", null, Back(session, "error"), Product, StatusCodes.Status403Forbidden);
        }

        return null;
    }

    private static string CookieName(string sessionId) => "adb_cs_" + sessionId;

    private static string? Back(ConnectSessionEntity session, string status, string? error = null)
        => session.ReturnUrl is null ? null : ReturnUrls.With(session.ReturnUrl, ("status", status), ("error", error));

    private static string Pkce(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>The apps the session may use: the one it names, or every valid app.</summary>
    private async Task<IReadOnlyList<ResolvedApp>> AppsForAsync(ConnectSessionEntity session, CancellationToken ct)
    {
        var all = (await apps.ListAsync(ct)).Where(a => a.IsValid).ToList();
        return session.AppName is null ? all : all.Where(a => a.Name == session.AppName).ToList();
    }
}
