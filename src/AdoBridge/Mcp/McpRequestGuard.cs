using AdoBridge.Hosting;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace AdoBridge.Mcp;

/// <summary>
/// Checks an /mcp request before the SDK reads it: the `Origin` against DNS rebinding (none, AdoBridge's own, a configured
/// one, or in sandbox mode a loopback one; otherwise 403), the body size (413), and the X-MCP-* filter headers (400).
/// </summary>
internal sealed class McpRequestGuard(IOptionsMonitor<McpOptions> options, PublicUrls urls, SandboxMode sandbox, McpToolRegistry registry)
{
    public async Task<bool> AdmitAsync(HttpContext http)
    {
        var o = options.CurrentValue;
        if (http.Request.Headers.Origin.ToString() is { Length: > 0 } origin && !Allowed(origin, o))
        {
            await Problem.Create(StatusCodes.Status403Forbidden, "origin_not_allowed", "Origin not allowed",
                $"Requests to /mcp from the browser origin '{(origin.Length <= 100 ? origin : origin[..100])}' are refused (DNS rebinding protection). Add it to {McpOptions.Section}:AllowedOrigins if that page should reach AdoBridge's MCP endpoint.")
                .ExecuteAsync(http);
            return false;
        }

        if (http.Request.ContentLength > o.MaxRequestBodyBytes)
        {
            await Problem.Create(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "Request too large",
                $"The request body is {http.Request.ContentLength} bytes; /mcp accepts at most {o.MaxRequestBodyBytes} ({McpOptions.Section}:MaxRequestBodyBytes). Send smaller arguments.")
                .ExecuteAsync(http);
            return false;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = o.MaxRequestBodyBytes;
        }

        if (McpToolFilter.FromHeaders(http.Request.Headers, registry).Error is { } error)
        {
            await Problem.BadRequest("invalid_mcp_filter", error).ExecuteAsync(http);
            return false;
        }

        return true;
    }

    private bool Allowed(string origin, McpOptions o)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return false;
        }

        // Not the request's own Host: a rebound name sends a matching Host and Origin, which is the attack.
        return (Uri.TryCreate(urls.BaseUrl, UriKind.Absolute, out var own) && SameOrigin(uri, own))
            || o.AllowedOrigins.Any(a => Uri.TryCreate(a, UriKind.Absolute, out var allowed) && SameOrigin(uri, allowed))
            || (sandbox.Enabled && uri.IsLoopback);
    }

    private static bool SameOrigin(Uri a, Uri b)
        => string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
}
