namespace AdoBridge.Connect;

internal static class ConnectEndpoints
{
    /// <summary>The end users' pages. No API key: the unguessable link, the browser binding and one-time state protect them.</summary>
    public static IEndpointRouteBuilder MapConnectPages(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/connect").AllowAnonymous().ExcludeFromDescription().AddEndpointFilter(async (context, next) =>
        {
            var headers = context.HttpContext.Response.Headers;
            headers.CacheControl = "no-store";
            headers["X-Frame-Options"] = "DENY";
            headers["X-Content-Type-Options"] = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' https: http:; frame-ancestors 'none'";
            return await next(context);
        });

        // Registered before /{token} so the literal segment wins.
        group.MapGet("/callback", (ConnectFlow flow, HttpContext http, CancellationToken ct) => flow.CallbackAsync(http, ct));
        group.MapGet("/{token}", (string token, ConnectFlow flow, HttpContext http, CancellationToken ct) => flow.LandingAsync(token, http, ct));
        group.MapPost("/{token}/start", (string token, ConnectFlow flow, HttpContext http, CancellationToken ct) => flow.StartAsync(token, http, ct)).DisableAntiforgery();
        group.MapGet("/{token}/organizations", (string token, ConnectFlow flow, HttpContext http, CancellationToken ct) => flow.OrganizationsAsync(token, http, ct));
        group.MapPost("/{token}/organizations", (string token, ConnectFlow flow, HttpContext http, CancellationToken ct) => flow.ChooseOrganizationsAsync(token, http, ct)).DisableAntiforgery();
        group.MapPost("/{token}/pat", (string token, ConnectFlow flow, HttpContext http, CancellationToken ct) => flow.PatAsync(token, http, ct)).DisableAntiforgery();
        group.MapGet("/{token}/done", (string token, ConnectFlow flow, CancellationToken ct) => flow.DoneAsync(token, ct));
        return endpoints;
    }
}
