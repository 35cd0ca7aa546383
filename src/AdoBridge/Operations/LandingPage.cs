using System.Net;
using AdoBridge.Sandbox;

namespace AdoBridge.Operations;

/// <summary>The page at `/`: where to go next. The admin console grows from here.</summary>
internal static class LandingPage
{
    public static IResult Render(PublicUrls urls, SandboxMode sandbox)
    {
        var baseUrl = WebUtility.HtmlEncode(urls.BaseUrl);
        var mode = sandbox.Enabled ? "<p><strong>Sandbox mode</strong>: Azure DevOps and Entra ID are the bundled emulator.</p>" : string.Empty;
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>AdoBridge</title>
            <style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#f3f3f3;padding:0 .3rem}</style></head>
            <body><h1>AdoBridge</h1>{{mode}}
            <ul>
              <li><a href="/docs">API reference</a> (<a href="/openapi/v1.json">OpenAPI document</a>)</li>
              <li>Redirect URI to register in the Azure portal: <code>{{baseUrl}}/connect/callback</code></li>
              <li>Health: <a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a></li>
            </ul></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
