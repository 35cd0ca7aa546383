using System.Diagnostics;
using AdoBridge.AzureDevOps;
using AdoBridge.Connections;
using AdoBridge.Hosting;
using AdoBridge.Problems;
using AdoBridge.Storage;
using AdoBridge.Telemetry;
using AdoBridge.Tokens;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace AdoBridge.Proxy;

/// <summary>
/// `ANY /v1/proxy/{connectionId}/{target}/…`: forwards to Azure DevOps as the connection through YARP's
/// <see cref="IHttpForwarder"/>, streaming both ways. Only the Azure DevOps hosts of <see cref="ProxyTarget"/> are
/// reachable; the caller's Authorization, cookies and hop-by-hop headers never pass (<see cref="ProxyExchange"/>); the
/// answer comes back with its status, headers and trailers (continuation tokens, rate-limit headers). On a refused
/// credential the token is renewed and a replayable request sent once more; on 429/503 with `Retry-After` an idempotent
/// replayable one is sent again within Proxy:MaxRetryWait.
/// </summary>
internal sealed partial class ProxyHandler(
    ConnectionService connections,
    TokenVault vault,
    AzureDevOpsHosts hosts,
    ProxyDiscovery discovery,
    IHttpForwarder forwarder,
    ProxyInvoker invoker,
    ProxyStats stats,
    IOptionsMonitor<ProxyOptions> options,
    ILogger<ProxyHandler> logger)
{
    /// <summary>Forwards the call for the caller's environment (from its API key), whether it came through the fast path or the endpoint.</summary>
    public async Task HandleAsync(HttpContext http, string environmentId, string connectionId)
    {
        var started = Stopwatch.GetTimestamp();
        var ct = http.RequestAborted;
        try
        {
            await ForwardAsync(http, environmentId, connectionId, started, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The caller went away while a token was renewed or a Retry-After ran: nobody to answer, nothing wrong here.
            LogCallerLeft(logger, connectionId, "waiting");
        }
    }

    private async Task ForwardAsync(HttpContext http, string environmentId, string connectionId, long started, CancellationToken ct)
    {
        var connection = await connections.FindCachedAsync(environmentId, connectionId, ct);
        if (connection is null)
        {
            await Problem.NotFound("connection_not_found", $"There is no connection '{connectionId}' in this API key's environment.").ExecuteAsync(http);
            return;
        }

        // One span around the call and its retries (refresh, Retry-After), as the typed actions' sender makes.
        using var span = TelemetrySpans.StartAzureDevOpsCall(connection.Id);

        var (rawPath, query) = RawRest(http, connectionId);
        var (url, error, _) = ProxyTarget.Resolve(connection, rawPath, query);
        if (url is null)
        {
            await Problem.BadRequest("proxy_target_refused", error!).ExecuteAsync(http);
            return;
        }

        var o = options.CurrentValue;
        Body body;
        try
        {
            body = await PrepareBodyAsync(http, o, ct);
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException && !ct.IsCancellationRequested)
        {
            // A kept body that broke off or ran short: the caller's fault, said as the forwarder says it for a streamed one.
            await ProxyFailures.Problem(ForwarderError.RequestBodyClient, e)!.ExecuteAsync(http);
            return;
        }

        if (body == Body.TooLarge)
        {
            await Problem.Create(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "Payload too large",
                $"The request body is {http.Request.ContentLength} bytes; the proxy accepts at most {o.MaxRequestBodySize} (Proxy:MaxRequestBodySize).").ExecuteAsync(http);
            return;
        }

        var target = hosts.Resolve(url);
        var exchange = new ProxyExchange(discovery, connection, target, replayable: body != Body.Streamed, bodyBuffered: body == Body.Buffered, o.MaxRetryWait);
        AccessToken token;
        try
        {
            token = await vault.GetAsync(connection, ct);
        }
        catch (Exception e) when (e is ConnectionUnavailableException or TokenRefreshUnavailableException)
        {
            await CredentialProblemAsync(http, connectionId, e, started);
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            exchange.Authorization = token.AuthorizationHeader;
            if (body == Body.Buffered)
            {
                http.Request.Body.Position = 0;
            }

            var failure = await forwarder.SendAsync(http, target.OriginalString, invoker.Invoker, invoker.Config, exchange, CancellationToken.None);
            if (failure != ForwarderError.None)
            {
                await FailedAsync(http, connectionId, failure, attempt, started);
                return;
            }

            switch (exchange.Verdict)
            {
                case ProxyVerdict.RefreshAndRetry:
                    exchange.Refreshed = true;
                    LogRetryAfterRefresh(logger, connectionId, exchange.Status);
                    try
                    {
                        token = await vault.RefreshAsync(connection.Id, token.Version, ct);
                    }
                    catch (Exception e) when (e is ConnectionUnavailableException or TokenRefreshUnavailableException)
                    {
                        await CredentialProblemAsync(http, connectionId, e, started);
                        return;
                    }

                    continue;
                case ProxyVerdict.WaitAndRetry:
                    LogWaitingRetryAfter(logger, connectionId, exchange.Status, exchange.Delay.TotalSeconds);
                    await Task.Delay(exchange.Delay, ct);
                    exchange.Waited += exchange.Delay;
                    continue;
            }

            var authFailed = exchange.Verdict == ProxyVerdict.AuthFailed;
            var headersMs = Stopwatch.GetElapsedTime(started, exchange.HeadersAt).TotalMilliseconds;
            stats.Record(connectionId, authFailed ? 401 : exchange.Status, attempt, authFailed, headersMs);
            if (logger.IsEnabled(LogLevel.Information))
            {
                LogProxied(logger, http.Request.Method, target.Host, target.AbsolutePath, connectionId, exchange.Status, attempt, headersMs);
            }

            if (authFailed)
            {
                var message = exchange.AuthFailureMessage;
                await Problem.Create(StatusCodes.Status401Unauthorized, "azure_devops_auth_failed", "Azure DevOps authentication failed",
                    $"Azure DevOps refused the request even with a freshly renewed token{(message is null ? "." : ": " + message)} Check the user's permissions and the organisation's OAuth policy.",
                    new Dictionary<string, object?> { ["azureStatus"] = exchange.Status }).ExecuteAsync(http);
            }

            return;
        }
    }

    private async Task CredentialProblemAsync(HttpContext http, string connectionId, Exception e, long started)
    {
        if (e is ConnectionUnavailableException unavailable)
        {
            stats.Record(connectionId, 401, 1, true, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await Problem.Create(StatusCodes.Status401Unauthorized, "azure_devops_auth_failed", "Azure DevOps authentication failed",
                $"Azure DevOps refused the connection's credentials and they could not be renewed: {unavailable.Message} The connection is now {unavailable.Status}; send the user a connect link with reconnectConnectionId.",
                new Dictionary<string, object?> { ["connectionStatus"] = unavailable.Status, ["azureErrorCode"] = unavailable.ErrorCode }).ExecuteAsync(http);
            return;
        }

        await Problem.Create(StatusCodes.Status503ServiceUnavailable, "token_refresh_failed", "Token refresh failed", e.Message).ExecuteAsync(http);
    }

    /// <summary>Answers a forwarder error: a problem while nothing was sent, a quiet end when the caller left.</summary>
    private async Task FailedAsync(HttpContext http, string connectionId, ForwarderError failure, int attempts, long started)
    {
        var exception = http.Features.Get<IForwarderErrorFeature>()?.Exception;
        if (ProxyFailures.CallerLeft(failure, http))
        {
            // A caller leaving is common and logged at Debug only: name the error only when that level is on.
            if (logger.IsEnabled(LogLevel.Debug))
            {
#pragma warning disable CA1873 // guarded by IsEnabled just above
                LogCallerLeft(logger, connectionId, failure.ToString());
#pragma warning restore CA1873
            }
            return;
        }

        var problem = http.Response.HasStarted ? null : ProxyFailures.Problem(failure, exception);
        var status = problem is null ? StatusCodes.Status502BadGateway : ((IStatusCodeHttpResult)problem).StatusCode ?? StatusCodes.Status502BadGateway;
        stats.Record(connectionId, status, attempts, false, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        // The exception's message only: it names the host and the socket error, never a header or the query.
        LogForwardFailed(logger, connectionId, failure.ToString(), http.Response.HasStarted, exception?.GetBaseException().Message);
        if (problem is not null)
        {
            http.Response.Clear();
            await problem.ExecuteAsync(http);
        }
    }

    private enum Body
    {
        None,
        Buffered,
        Streamed,
        TooLarge,
    }

    /// <summary>
    /// Sets the body limit, and keeps a small body with a known length in memory so the request can be sent again after a
    /// token renewal; a large or chunked one streams through YARP once (a refusal then cannot be retried).
    /// </summary>
    private static async ValueTask<Body> PrepareBodyAsync(HttpContext http, ProxyOptions o, CancellationToken ct)
    {
        var request = http.Request;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = o.MaxRequestBodySize;
        }

        if (request.ContentLength > o.MaxRequestBodySize)
        {
            return Body.TooLarge;
        }

        if (request.ContentLength == 0 || (request.ContentLength is null && !request.Headers.ContainsKey("Transfer-Encoding")))
        {
            return Body.None;
        }

        if (request.ContentLength is { } length && length <= o.ReplayableBodyLimit)
        {
            var buffer = new byte[length];
            await request.Body.ReadExactlyAsync(buffer, ct);
            // YARP reads the body from the request at each attempt; the buffer is rewound before each.
            request.Body = new MemoryStream(buffer, writable: false);
            return Body.Buffered;
        }

        return Body.Streamed;
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

    // Path without the query: continuation tokens and search text stay out of the log.
    [LoggerMessage(EventId = 510, Level = LogLevel.Information, Message = "Proxied {Method} {Host}{Path} for {ConnectionId}: {Status} after {Attempts} attempt(s) in {ElapsedMs:F1} ms")]
    private static partial void LogProxied(ILogger logger, string method, string host, string path, string connectionId, int status, int attempts, double elapsedMs);

    [LoggerMessage(EventId = 505, Level = LogLevel.Information, Message = "Azure DevOps answered {Status} for connection {ConnectionId}; refreshing its token and retrying once")]
    private static partial void LogRetryAfterRefresh(ILogger logger, string connectionId, int status);

    [LoggerMessage(EventId = 506, Level = LogLevel.Information, Message = "Azure DevOps answered {Status} for connection {ConnectionId}; retrying after {Seconds} s")]
    private static partial void LogWaitingRetryAfter(ILogger logger, string connectionId, int status, double seconds);

    [LoggerMessage(EventId = 507, Level = LogLevel.Warning, Message = "Proxying for {ConnectionId} failed ({Error}, response started: {Started}): {Reason}")]
    private static partial void LogForwardFailed(ILogger logger, string connectionId, string error, bool started, string? reason);

    [LoggerMessage(EventId = 508, Level = LogLevel.Debug, Message = "The caller of a proxied call for {ConnectionId} went away ({Error})")]
    private static partial void LogCallerLeft(ILogger logger, string connectionId, string error);
}
