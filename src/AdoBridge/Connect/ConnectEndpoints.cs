using AdoBridge.RateLimiting;

namespace AdoBridge.Connect;

internal static class ConnectEndpoints
{
    /// <summary>
    /// The end users' pages. No API key: the unguessable link, the browser binding (made by the first POST, never by
    /// opening the link, so link previews and mail scanners change nothing) and one-time state protect them.
    /// </summary>
    public static IEndpointRouteBuilder MapConnectPages(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/connect").AllowAnonymous().ExcludeFromDescription().RequireRateLimiting(RateLimitingServiceCollectionExtensions.ConnectPagesPolicy).AddEndpointFilter(async (context, next) =>
        {
            var headers = context.HttpContext.Response.Headers;
            headers.CacheControl = "no-store";
            headers["X-Frame-Options"] = "DENY";
            headers["X-Content-Type-Options"] = "nosniff";
            // same-origin, not no-referrer: a form post then carries a real Origin (no-referrer makes it "null"), which
            // ConnectOrigin checks; the link's token still never reaches another site.
            headers["Referrer-Policy"] = "same-origin";
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' https: http:; frame-ancestors 'none'";
            return await next(context);
        });

        // Registered before /{token} so the literal segment wins.
        group.MapGet("/callback", (ConnectFlow flow, HttpContext http, CancellationToken ct) => flow.CallbackAsync(http, ct));
        group.MapMethods("/{token}", [HttpMethods.Get, HttpMethods.Head], (string token, ConnectFlow flow, HttpContext http, CancellationToken ct) => flow.LandingAsync(token, http, ct));
        group.MapGet("/{token}/organizations", (string token, ConnectFlow flow, HttpContext http, CancellationToken ct) => flow.OrganizationsAsync(token, http, ct));

        // Posts are checked by Origin (ConnectOrigin) rather than antiforgery tokens, which would need a cookie set when the link is opened.
        var posts = group.MapGroup(string.Empty).AddEndpointFilter(async (context, next) => ConnectOrigin.Check(context.HttpContext) ?? await next(context));
        posts.MapPost("/{token}/start", (string token, ConnectFlow flow, HttpContext http, CancellationToken ct) => flow.StartAsync(token, http, ct)).DisableAntiforgery();
        posts.MapPost("/{token}/organizations", (string token, ConnectFlow flow, HttpContext http, CancellationToken ct) => flow.ChooseOrganizationsAsync(token, http, ct)).DisableAntiforgery();
        posts.MapPost("/{token}/pat", (string token, ConnectFlow flow, HttpContext http, CancellationToken ct) => flow.PatAsync(token, http, ct)).DisableAntiforgery();
        group.MapGet("/{token}/done", (string token, ConnectFlow flow, CancellationToken ct) => flow.DoneAsync(token, ct));
        return endpoints;
    }
}
