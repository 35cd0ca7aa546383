using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using AdoBridge.AzureDevOps;
using AdoBridge.Connections;
using AdoBridge.Hosting;
using AdoBridge.Problems;
using AdoBridge.Storage;
using AdoBridge.Tokens;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace AdoBridge.Proxy;

/// <summary>
/// `ANY /v1/proxy/{connectionId}/{target}/…`: forwards to Azure DevOps as the connection, streaming both ways. Only the
/// Azure DevOps hosts of <see cref="ProxyTarget"/> are reachable; the caller's Authorization, cookies and hop-by-hop
/// headers never pass; the answer comes back with its status and headers (continuation tokens, rate-limit headers).
/// </summary>
internal sealed partial class ProxyHandler(
    ConnectionService connections,
    DevOpsSender sender,
    AzureDevOpsHosts hosts,
    PublicUrls urls,
    ProxyStats stats,
    IOptionsMonitor<ProxyOptions> options,
    ILogger<ProxyHandler> logger)
{
    private static readonly HashSet<string> DroppedRequestHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Cookie", "Host", "Connection", "Keep-Alive", "Proxy-Authorization", "Proxy-Authenticate", "Proxy-Connection",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Expect", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto",
        "X-Forwarded-Prefix", "Forwarded", "X-Real-IP", "X-TFS-FedAuthRedirect", "Accept-Encoding",
    };

    private static readonly HashSet<string> DroppedResponseHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Set-Cookie",
        "Strict-Transport-Security", "Alt-Svc",
    };

    /// <summary>Forwards the call for the caller's environment (from its API key), whether it came through the fast path or the endpoint.</summary>
    public async Task HandleAsync(HttpContext http, string environmentId, string connectionId)
    {
        var started = Stopwatch.GetTimestamp();
        var ct = http.RequestAborted;
        var connection = await connections.FindCachedAsync(environmentId, connectionId, ct);
        if (connection is null)
        {
            await WriteProblemAsync(http, Problem.NotFound("connection_not_found", $"There is no connection '{connectionId}' in this API key's environment."));
            return;
        }

        var (rawPath, query) = RawRest(http, connectionId);
        var (url, error, _) = ProxyTarget.Resolve(connection, rawPath, query);
        if (url is null)
        {
            await WriteProblemAsync(http, Problem.BadRequest("proxy_target_refused", error!));
            return;
        }

        var (body, replayable) = await ReadBodyAsync(http, ct);
        if (body is ProblemBody tooLarge)
        {
            await WriteProblemAsync(http, tooLarge.Problem);
            return;
        }

        DevOpsSendResult result;
        try
        {
            result = await sender.SendAsync(connection, url, target => BuildRequest(http, target, body), replayable, ct);
        }
        catch (ConnectionUnavailableException e)
        {
            stats.Record(connectionId, 401, 1, true, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await WriteProblemAsync(http, Problem.Create(StatusCodes.Status401Unauthorized, "azure_devops_auth_failed", "Azure DevOps authentication failed",
                $"Azure DevOps refused the connection's credentials and they could not be renewed: {e.Message} The connection is now {e.Status}; send the user a connect link with reconnectConnectionId.",
                new Dictionary<string, object?> { ["connectionStatus"] = e.Status, ["azureErrorCode"] = e.ErrorCode }));
            return;
        }
        catch (TokenRefreshUnavailableException e)
        {
            await WriteProblemAsync(http, Problem.Create(StatusCodes.Status503ServiceUnavailable, "token_refresh_failed", "Token refresh failed", e.Message));
            return;
        }
        catch (HttpRequestException e)
        {
            await WriteProblemAsync(http, Problem.Create(StatusCodes.Status502BadGateway, "azure_devops_unreachable", "Azure DevOps unreachable", $"Azure DevOps could not be reached ({e.HttpRequestError})."));
            return;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            await WriteProblemAsync(http, Problem.Create(StatusCodes.Status504GatewayTimeout, "azure_devops_timeout", "Azure DevOps timed out", "Azure DevOps did not answer in time."));
            return;
        }

        using var response = result.Response;
        var status = (int)response.StatusCode;
        stats.Record(connectionId, result.AuthFailed ? 401 : status, result.Attempts, result.AuthFailed, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (logger.IsEnabled(LogLevel.Information))
        {
            var target = new Uri(url);
            LogProxied(logger, http.Request.Method, target.Host, target.AbsolutePath, connectionId, status, result.Attempts, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        if (result.AuthFailed)
        {
            var message = await ErrorMessageAsync(response, ct);
            await WriteProblemAsync(http, Problem.Create(StatusCodes.Status401Unauthorized, "azure_devops_auth_failed", "Azure DevOps authentication failed",
                $"Azure DevOps refused the request even with a freshly renewed token{(message is null ? "." : ": " + message)} Check the user's permissions and the organisation's OAuth policy.",
                new Dictionary<string, object?> { ["azureStatus"] = status }));
            return;
        }

        http.Response.StatusCode = status;
        CopyResponseHeaders(response, http.Response, connection);
        if (NeedsUrlRewrite(http.Request.Method, url, response))
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            var rewritten = RewriteUrls(text, connection);
            http.Response.ContentLength = Encoding.UTF8.GetByteCount(rewritten);
            await http.Response.WriteAsync(rewritten, ct);
            return;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        await stream.CopyToAsync(http.Response.Body, 81920, ct);
    }

    /// <summary>The path after the connection id exactly as sent (still percent-encoded), and the query string.</summary>
    private static (string Path, string Query) RawRest(HttpContext http, string connectionId)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path + http.Request.QueryString;
        var q = raw.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? raw.AsSpan() : raw.AsSpan(0, q);
        var query = q < 0 ? string.Empty : raw[q..];

        // Finds "/v1/proxy/{connectionId}/" in the raw path without building that marker string.
        var at = path.IndexOf(ProxyPrefix, StringComparison.Ordinal);
        while (at >= 0)
        {
            var id = path[(at + ProxyPrefix.Length)..];
            if (id.StartsWith(connectionId, StringComparison.Ordinal) && id.Length > connectionId.Length && id[connectionId.Length] == '/')
            {
                return (id[(connectionId.Length + 1)..].ToString(), query);
            }

            var next = path[(at + 1)..].IndexOf(ProxyPrefix, StringComparison.Ordinal);
            at = next < 0 ? -1 : at + 1 + next;
        }

        return (string.Empty, query);
    }

    private const string ProxyPrefix = "/v1/proxy/";

    private sealed record ProblemBody(IResult Problem);

    private async ValueTask<(object? Body, bool Replayable)> ReadBodyAsync(HttpContext http, CancellationToken ct)
    {
        var request = http.Request;
        var o = options.CurrentValue;
        var feature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = o.MaxRequestBodySize;
        }

        if (request.ContentLength is > 0 && request.ContentLength > o.MaxRequestBodySize)
        {
            return (new ProblemBody(Problem.Create(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "Payload too large",
                $"The request body is {request.ContentLength} bytes; the proxy accepts at most {o.MaxRequestBodySize} (Proxy:MaxRequestBodySize).")), false);
        }

        if (request.ContentLength == 0 || (request.ContentLength is null && !request.Headers.ContainsKey("Transfer-Encoding")))
        {
            return (null, true);
        }

        if (request.ContentLength is { } length && length <= o.ReplayableBodyLimit)
        {
            var buffer = new byte[length];
            await request.Body.ReadExactlyAsync(buffer, ct);
            return (buffer, true);
        }

        // Large or chunked: stream it through once; a 401 then cannot be retried with a renewed token.
        return (request.Body, false);
    }

    private static HttpRequestMessage BuildRequest(HttpContext http, Uri target, object? body)
    {
        var source = http.Request;
        // Parse hands back the shared instances for the standard methods, which the handler recognises by reference.
        var request = new HttpRequestMessage(HttpMethod.Parse(source.Method), target) { Version = HttpVersion.Version11 };
        if (body is byte[] bytes)
        {
            request.Content = new ByteArrayContent(bytes);
        }
        else if (body is Stream stream)
        {
            request.Content = new StreamContent(stream, 81920);
        }

        foreach (var (name, values) in source.Headers)
        {
            if (DroppedRequestHeaders.Contains(name) || name.StartsWith(':'))
            {
                continue;
            }

            // A single value goes in as a string: the enumerable overload boxes and enumerates.
            var added = values.Count == 1 ? request.Headers.TryAddWithoutValidation(name, values.ToString()) : request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            if (!added && request.Content is not null)
            {
                _ = values.Count == 1 ? request.Content.Headers.TryAddWithoutValidation(name, values.ToString()) : request.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        return request;
    }

    private void CopyResponseHeaders(HttpResponseMessage response, HttpResponse target, ConnectionEntity connection)
    {
        CopyResponseHeaders(response.Headers.NonValidated, target, connection);
        CopyResponseHeaders(response.Content.Headers.NonValidated, target, connection);
    }

    /// <summary>
    /// Copies the headers as Azure DevOps sent them: the non-validated view neither parses each value nor splits one at
    /// its commas (a continuation token may hold one), and it is what a pass-through needs.
    /// </summary>
    private void CopyResponseHeaders(HttpHeadersNonValidated headers, HttpResponse target, ConnectionEntity connection)
    {
        foreach (var (name, values) in headers)
        {
            if (DroppedResponseHeaders.Contains(name))
            {
                continue;
            }

            if (name.Equals("Location", StringComparison.OrdinalIgnoreCase))
            {
                target.Headers[name] = RewriteUrls(string.Join(",", values), connection);
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

    private static bool NeedsUrlRewrite(string method, string url, HttpResponseMessage response)
    {
        // Service discovery answers: the official clients follow their URLs, so they must lead back through the proxy.
        // The path is checked first, on the string: it rules out nearly every request before any header is parsed.
        var query = url.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? url.AsSpan() : url.AsSpan(0, query);
        var discovery = HttpMethods.IsOptions(method) || path.EndsWith("/_apis/resourceAreas", StringComparison.OrdinalIgnoreCase)
            || path.Contains("/_apis/resourceAreas/", StringComparison.OrdinalIgnoreCase) || path.EndsWith("/_apis/connectionData", StringComparison.OrdinalIgnoreCase);
        return discovery && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true
            && response.Content.Headers.ContentLength is not > 4 * 1024 * 1024;
    }

    /// <summary>Replaces Azure DevOps base URLs (real and, in sandbox mode, the emulator's) with the proxy's own for this connection.</summary>
    internal string RewriteUrls(string text, ConnectionEntity connection)
    {
        var proxyBase = $"{urls.BaseUrl}/v1/proxy/{connection.Id}/";
        text = ReplaceBoth(text, $"{AzureDevOpsHosts.VsspsApp}/", $"{proxyBase}~app/");
        foreach (var org in ConnectionService.OrganizationsOf(connection))
        {
            foreach (var (real, proxied) in new[]
            {
                ($"https://dev.azure.com/{org}/", $"{proxyBase}{org}/"),
                ($"https://{org}.visualstudio.com/", $"{proxyBase}{org}/"),
                ($"https://vssps.dev.azure.com/{org}/", $"{proxyBase}~vssps/{org}/"),
                ($"https://{org}.vssps.visualstudio.com/", $"{proxyBase}~vssps/{org}/"),
                ($"https://vsrm.dev.azure.com/{org}/", $"{proxyBase}~vsrm/{org}/"),
                ($"https://almsearch.dev.azure.com/{org}/", $"{proxyBase}~almsearch/{org}/"),
                ($"https://vsaex.dev.azure.com/{org}/", $"{proxyBase}~vsaex/{org}/"),
            })
            {
                text = ReplaceBoth(text, real, proxied);
            }
        }

        return text;
    }

    /// <summary>Replaces a real Azure DevOps URL and, in sandbox mode, the emulator URL standing in for it.</summary>
    private string ReplaceBoth(string text, string real, string proxied)
    {
        text = text.Replace(real, proxied, StringComparison.OrdinalIgnoreCase);
        var transport = hosts.Resolve(real).ToString();
        return transport.Equals(real, StringComparison.OrdinalIgnoreCase) ? text : text.Replace(transport, proxied, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<string?> ErrorMessageAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return null;
        }

        try
        {
            var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
            return json.TryGetProperty("message", out var m) ? m.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static Task WriteProblemAsync(HttpContext http, IResult problem) => problem.ExecuteAsync(http);

    // Path without the query: continuation tokens and search text stay out of the log.
    [LoggerMessage(EventId = 510, Level = LogLevel.Information, Message = "Proxied {Method} {Host}{Path} for {ConnectionId}: {Status} after {Attempts} attempt(s) in {ElapsedMs:F1} ms")]
    private static partial void LogProxied(ILogger logger, string method, string host, string path, string connectionId, int status, int attempts, double elapsedMs);
}
