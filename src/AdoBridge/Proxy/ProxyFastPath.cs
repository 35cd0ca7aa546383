using AdoBridge.ApiKeys;

namespace AdoBridge.Proxy;

/// <summary>
/// Serves `/v1/proxy/{connectionId}/…` calls that carry a valid API key before endpoint routing, authentication and
/// authorization run. Those cost more CPU per call than the forwarding itself (a service scope, the authentication
/// handler, a principal, policy evaluation), and the proxy carries most of the traffic. The check is the one the
/// authentication handler makes (same header parsing, same <see cref="ApiKeyService"/>, so the same constant-time
/// comparison, cache and revocation), and only a key it accepts is served here: anything else (no key, a wrong or
/// revoked key, another scheme, a path the route would not match) goes on down the normal pipeline, which answers exactly
/// as before. The proxy endpoint itself stays mapped, for those answers and the API description.
/// </summary>
internal sealed class ProxyFastPath(RequestDelegate next, ApiKeyService keys, ProxyHandler proxy)
{
    private const string Prefix = "/v1/proxy/";

    public Task InvokeAsync(HttpContext http)
    {
        if (ConnectionIdOf(http.Request.Path.Value) is not { } connectionId
            || http.Request.Headers.Authorization.ToString() is not { Length: > 0 } header
            || ApiKeyAuthenticationHandler.PresentedKey(header) is not { } presented)
        {
            return next(http);
        }

        var identity = keys.AuthenticateAsync(presented, http.RequestAborted);
        if (!identity.IsCompletedSuccessfully)
        {
            return AwaitedAsync(http, identity, connectionId);
        }

        return identity.Result is { } id ? proxy.HandleAsync(http, id.EnvironmentId, connectionId) : next(http);
    }

    private async Task AwaitedAsync(HttpContext http, ValueTask<ApiKeyIdentity?> identity, string connectionId)
    {
        if (await identity is { } id)
        {
            await proxy.HandleAsync(http, id.EnvironmentId, connectionId);
        }
        else
        {
            await next(http);
        }
    }

    /// <summary>
    /// The `{connectionId}` the route `/v1/proxy/{connectionId}/{**rest}` would bind for this path, or null where it would
    /// not match. Literal segments match case-insensitively, as in routing; an empty segment does not bind.
    /// </summary>
    internal static string? ConnectionIdOf(string? path)
    {
        if (path is null || !path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = path.AsSpan(Prefix.Length);
        var end = rest.IndexOf('/');
        var id = end < 0 ? rest : rest[..end];
        return id.IsEmpty ? null : id.ToString();
    }
}

internal static class ProxyFastPathExtensions
{
    /// <summary>Goes before <c>UseRouting</c>, so that proxied calls skip routing, authentication and authorization.</summary>
    public static IApplicationBuilder UseProxyFastPath(this IApplicationBuilder app) => app.UseMiddleware<ProxyFastPath>();
}
