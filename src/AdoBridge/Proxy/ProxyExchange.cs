using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AdoBridge.AzureDevOps;
using AdoBridge.Connections;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;
using AdoBridge.Storage;
using AdoBridge.Telemetry;

namespace AdoBridge.Proxy;

/// <summary>What the proxy does after one attempt through the forwarder.</summary>
internal enum ProxyVerdict
{
    /// <summary>The answer went to the caller (as it was, or rewritten for discovery).</summary>
    Forwarded,

    /// <summary>Azure DevOps refused the credential and the request can be replayed: renew the token and send it again.</summary>
    RefreshAndRetry,

    /// <summary>Azure DevOps refused the credential for good (after a renewal, or the body could not be replayed).</summary>
    AuthFailed,

    /// <summary>429/503 with a `Retry-After` within the bound, on a replayable idempotent request: wait, then send it again.</summary>
    WaitAndRetry,
}

/// <summary>
/// One proxied call's <see cref="HttpTransformer"/> for YARP's <see cref="IHttpForwarder"/>, reused across its attempts:
/// it sets the target and the connection's credential on the way out (dropping the caller's credential, cookies,
/// forwarding and hop-by-hop headers), and on the way back decides from the status line and headers, before any body
/// byte is copied, whether the answer goes to the caller or the call is sent again. Answers held back are not written,
/// so YARP leaves the response untouched and the caller sees only the final attempt.
/// </summary>
internal sealed class ProxyExchange(ProxyDiscovery discovery, ConnectionEntity connection, Uri target, bool replayable, bool bodyBuffered, TimeSpan maxRetryWait)
    : HttpTransformer
{
    private static readonly HashSet<string> DroppedRequestHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Cookie", "Host", "Connection", "Keep-Alive", "Proxy-Authorization", "Proxy-Authenticate", "Proxy-Connection",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto",
        "X-Forwarded-Prefix", "Forwarded", "X-Real-IP", "X-TFS-FedAuthRedirect", "Accept-Encoding",
    };

    private static readonly HashSet<string> DroppedResponseHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Set-Cookie",
        "Strict-Transport-Security", "Alt-Svc",
    };

    /// <summary>The `Authorization` header value for the next attempt.</summary>
    public string Authorization { get; set; } = string.Empty;

    /// <summary>Set once the token was renewed after a refusal, so a second refusal is final.</summary>
    public bool Refreshed { get; set; }

    /// <summary>Total time already waited for `Retry-After` on this call.</summary>
    public TimeSpan Waited { get; set; }

    public ProxyVerdict Verdict { get; private set; }

    /// <summary>Azure DevOps' status on the last attempt (0 when none arrived).</summary>
    public int Status { get; private set; }

    /// <summary>When the last attempt's response headers arrived (a <see cref="Stopwatch"/> timestamp).</summary>
    public long HeadersAt { get; private set; }

    /// <summary>How long to wait before the next attempt, for <see cref="ProxyVerdict.WaitAndRetry"/>.</summary>
    public TimeSpan Delay { get; private set; }

    /// <summary>Azure DevOps' own message on a final refusal, when it sent one as JSON.</summary>
    public string? AuthFailureMessage { get; private set; }

    public override ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        proxyRequest.RequestUri = target;
        var source = httpContext.Request.Headers;
        foreach (var (name, values) in source)
        {
            // A buffered body was already read (so Kestrel already sent the caller its 100 Continue); a streamed one passes
            // `Expect: 100-continue` on, so Azure DevOps can refuse before the caller uploads it.
            if (DroppedRequestHeaders.Contains(name) || name.StartsWith(':') || (bodyBuffered && name.Equals("Expect", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            // A single value goes in as a string: the enumerable overload boxes and enumerates.
            var added = values.Count == 1 ? proxyRequest.Headers.TryAddWithoutValidation(name, values.ToString()) : proxyRequest.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            if (!added && proxyRequest.Content is not null)
            {
                _ = values.Count == 1 ? proxyRequest.Content.Headers.TryAddWithoutValidation(name, values.ToString()) : proxyRequest.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        // A message with both is a smuggling attempt or a broken client: Transfer-Encoding wins (RFC 9112 6.3), the length goes.
        if (source.ContainsKey("Transfer-Encoding"))
        {
            proxyRequest.Content?.Headers.Remove("Content-Length");
        }

        // The cached header string: no per-request encoding, and no parsing, since AdoBridge made it.
        proxyRequest.Headers.TryAddWithoutValidation("Authorization", Authorization);
        proxyRequest.Headers.TryAddWithoutValidation("X-TFS-FedAuthRedirect", "Suppress");
        return default;
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is null)
        {
            // YARP's error path: nothing arrived; the handler answers from the ForwarderError.
            Status = 0;
            return false;
        }

        HeadersAt = Stopwatch.GetTimestamp();
        Status = (int)proxyResponse.StatusCode;
        TelemetryInstruments.RateLimits(proxyResponse);
        var signInPage = proxyResponse.StatusCode == HttpStatusCode.NonAuthoritativeInformation && IsMedia(proxyResponse.Content.Headers.ContentType, "html");
        if (proxyResponse.StatusCode == HttpStatusCode.Unauthorized || signInPage)
        {
            if (!Refreshed && replayable)
            {
                return HoldBack(httpContext, ProxyVerdict.RefreshAndRetry);
            }

            AuthFailureMessage = await ErrorMessageAsync(proxyResponse, cancellationToken);
            return HoldBack(httpContext, ProxyVerdict.AuthFailed);
        }

        if (proxyResponse.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable && replayable && IsIdempotent(httpContext.Request.Method)
            && RetryAfterHeader.Of(proxyResponse) is { } delay && Waited + delay <= maxRetryWait)
        {
            Delay = delay;
            return HoldBack(httpContext, ProxyVerdict.WaitAndRetry);
        }

        Verdict = ProxyVerdict.Forwarded;
        var response = httpContext.Response;
        CopyHeaders(proxyResponse.Headers.NonValidated, response);
        CopyHeaders(proxyResponse.Content.Headers.NonValidated, response);
        // Transfer-Encoding with Content-Length is not passed on (RFC 9112 6.3); nor Content-Length: 0 on a status without content.
        if ((proxyResponse.Headers.NonValidated.Contains("Transfer-Encoding") || Status is 204 or 205 or < 200) && proxyResponse.Content.Headers.NonValidated.Contains("Content-Length"))
        {
            response.Headers.ContentLength = null;
        }

        if (ProxyDiscovery.NeedsRewrite(httpContext.Request.Method, target, proxyResponse))
        {
            var text = discovery.RewriteUrls(await proxyResponse.Content.ReadAsStringAsync(cancellationToken), connection);
            response.ContentLength = Encoding.UTF8.GetByteCount(text);
            await response.WriteAsync(text, cancellationToken);
            return false;
        }

        return true;
    }

    /// <summary>
    /// Leaves the caller's response as it was before the attempt (YARP set the status line already; no header was copied), so
    /// the forwarder can run again or the handler can answer itself.
    /// </summary>
    private bool HoldBack(HttpContext httpContext, ProxyVerdict verdict)
    {
        Verdict = verdict;
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        if (httpContext.Features.Get<IHttpResponseFeature>() is { } feature)
        {
            feature.ReasonPhrase = null;
        }

        return false;
    }

    /// <summary>
    /// Copies the headers as Azure DevOps sent them: the non-validated view neither parses each value nor splits one at
    /// its commas (a continuation token may hold one), and it is what a pass-through needs.
    /// </summary>
    private void CopyHeaders(HttpHeadersNonValidated headers, HttpResponse target)
    {
        foreach (var (name, values) in headers)
        {
            if (DroppedResponseHeaders.Contains(name))
            {
                continue;
            }

            if (name.Equals("Location", StringComparison.OrdinalIgnoreCase))
            {
                target.Headers[name] = discovery.RewriteUrls(string.Join(",", values), connection);
            }
            else if (values.Count == 1)
            {
                target.Headers[name] = values.ToString();
            }
            else
            {
                var copy = new string[values.Count];
                var i = 0;
                foreach (var value in values)
                {
                    copy[i++] = value;
                }

                target.Headers[name] = copy;
            }
        }
    }

    private static bool IsMedia(MediaTypeHeaderValue? type, string kind) => type?.MediaType?.Contains(kind, StringComparison.OrdinalIgnoreCase) == true;

    private static bool IsIdempotent(string method)
        => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method);

    private static async Task<string?> ErrorMessageAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (!IsMedia(response.Content.Headers.ContentType, "json") || response.Content.Headers.ContentLength is > 64 * 1024)
        {
            return null;
        }

        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            return json.RootElement.TryGetProperty("message", out var m) && m.ValueKind == System.Text.Json.JsonValueKind.String ? m.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
