using System.Net;
using AdoBridge.Hosting;

namespace AdoBridge.Operations;

/// <summary>
/// The page at `/`: where to go next. A connect flow started without a `returnUrl` ends here too
/// (`?connectionId=…&status=…`), so the page says what happened and what to do next.
/// </summary>
internal static class LandingPage
{
    public static IResult Render(HttpRequest request, PublicUrls urls, SandboxMode sandbox)
    {
        var baseUrl = WebUtility.HtmlEncode(urls.BaseUrl);
        var mode = sandbox.Enabled ? "<p><strong>Sandbox mode</strong>: Azure DevOps and Entra ID are the bundled emulator.</p>" : string.Empty;
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>AdoBridge</title>
            <style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#f3f3f3;padding:0 .3rem}
            .console{font-size:1.25rem;margin:1.5rem 0}.console a{font-weight:700}.outcome{border-left:.4rem solid #0c6b2f;background:#eef7f1;padding:.6rem 1rem;margin:1.5rem 0}.outcome.error{border-color:#b3261e;background:#fbeeed}</style></head>
            <body><main><h1>AdoBridge</h1>{{Outcome(request.Query)}}{{mode}}
            <p class="console"><a href="/console">Open the admin console</a>: connections, sign-in for operators. The first start prints a one-time setup link for the owner account.</p>
            <ul>
              <li><a href="/docs">API reference</a> (<a href="/openapi/v1.json">OpenAPI document</a>)</li>
              <li>Redirect URI to register in the Azure portal: <code>{{baseUrl}}/connect/callback</code></li>
              <li>Health: <a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a></li>
            </ul></main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static string Outcome(IQueryCollection query)
    {
        var status = query["status"].ToString();
        if (status.Length == 0 || status.Length > 40)
        {
            return string.Empty;
        }

        var id = WebUtility.HtmlEncode(Truncate(query["connectionId"].ToString()));
        var next = "<p>Next: your product reads it with <code>GET /v1/connections/" + id + "</code> (API key in <code>Authorization: Bearer</code>) "
            + "and calls Azure DevOps through <code>/v1/proxy/" + id + "/{organization}/…</code> or the typed actions. "
            + "To bring users back to your product instead of this page, pass <code>returnUrl</code> when you create the connect session.</p>";
        return status switch
        {
            "active" when id.Length > 0 => $"""<section class="outcome" role="status"><h2>Connected</h2><p>The connection <code>{id}</code> is active: AdoBridge holds its token and keeps it fresh.</p>{next}</section>""",
            "error" => $"""<section class="outcome error" role="alert"><h2>Not connected</h2><p>The connect flow ended without a connection (<code>{WebUtility.HtmlEncode(Truncate(query["error"].ToString()))}</code>). Create a new connect session and try again; the connect page explains what went wrong when it happens.</p></section>""",
            _ => $"""<section class="outcome" role="status"><h2>Connect flow finished</h2><p>Status: <code>{WebUtility.HtmlEncode(status)}</code>{(id.Length > 0 ? $", connection <code>{id}</code>" : "")}.</p></section>""",
        };
    }

    private static string Truncate(string value) => value.Length > 100 ? value[..100] : value;
}
