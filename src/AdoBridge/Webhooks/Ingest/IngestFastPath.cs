using AdoBridge.RateLimiting;

namespace AdoBridge.Webhooks.Ingest;

/// <summary>
/// Serves `POST /hooks/ado/{path}` before endpoint routing, authentication, authorization, antiforgery and the rate limiter
/// run, as <see cref="Proxy.ProxyFastPath"/> does for proxied calls: the route allows anonymous callers and checks the
/// hook's own secret, so none of those decide anything for it, yet together they cost more CPU per notification than
/// parsing and storing it (every authentication scheme's request handler resolved and asked, a principal, policy
/// evaluation, the endpoint filter pipeline). The handler, its refusal limit (<see cref="IngestFailureLimiter"/>) and its
/// answers are the route's own; the route stays mapped for anything this does not take (another method, a path the route
/// would not bind) and for the API description. The matched endpoint is set on the request, so metrics and logs name the
/// route as before.
/// </summary>
internal sealed class IngestFastPath(
    RequestDelegate next, EndpointDataSource endpoints, IngestFailureLimiter limiter, HookDirectory hooks, IngestWriter writer, TimeProvider clock, ILoggerFactory loggers)
{
    private const string Prefix = "/hooks/ado/";
    private Endpoint? endpoint;

    public Task InvokeAsync(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method) || PathOf(http.Request.Path.Value) is not { } path)
        {
            return next(http);
        }

        endpoint ??= endpoints.Endpoints.Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == IngestEndpoint.Name);
        http.SetEndpoint(endpoint);
        return ServeAsync(http, path);
    }

    private async Task ServeAsync(HttpContext http, string path)
    {
        var answer = await limiter.RunAsync(http, async () => await IngestEndpoint.IngestAsync(path, http, hooks, writer, clock, loggers, http.RequestAborted));
        if (answer is IResult result)
        {
            await result.ExecuteAsync(http);
        }
    }

    /// <summary>The `{path}` the route `/hooks/ado/{path}` would bind, or null where this leaves the request to routing.</summary>
    internal static string? PathOf(string? requestPath)
    {
        if (requestPath is null || !requestPath.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = requestPath.AsSpan(Prefix.Length);
        return rest.IsEmpty || rest.Contains('/') ? null : rest.ToString();
    }
}

internal static class IngestFastPathExtensions
{
    /// <summary>Goes before <c>UseRouting</c>, so that service-hook notifications skip routing, authentication and authorization.</summary>
    public static IApplicationBuilder UseIngestFastPath(this IApplicationBuilder app) => app.UseMiddleware<IngestFastPath>();
}
