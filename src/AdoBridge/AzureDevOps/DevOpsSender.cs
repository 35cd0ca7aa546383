using System.Net;
using AdoBridge.Storage;
using AdoBridge.Telemetry;
using Microsoft.Extensions.Options;

namespace AdoBridge.AzureDevOps;

/// <summary>How one call on a connection's behalf ended, beyond the HTTP answer itself.</summary>
internal sealed record DevOpsSendResult(HttpResponseMessage Response, bool AuthFailed, int Attempts, TimeSpan Waited);

/// <summary>
/// Sends a request to Azure DevOps as a connection, with the rules every caller (proxy, typed actions) shares: the
/// connection's fresh credential injected; on 401 or a 203 sign-in page one token refresh and one retry when the request
/// can be replayed; on 429 or 503 with `Retry-After`, waits and retries idempotent requests within a total bound.
/// </summary>
internal sealed partial class DevOpsSender(IHttpClientFactory http, IAccessTokenSource vault, AzureDevOpsHosts hosts, IOptionsMonitor<DevOpsSenderOptions> options, ILogger<DevOpsSender> logger)
{
    public const string HttpClientName = "azure-devops-proxy";

    // The factory hands out a new HttpClient per call (with its own cancellation source and configure actions run
    // again); one is kept for a minute instead, which still lets the factory rotate handlers every two.
    private static readonly TimeSpan ClientReuse = TimeSpan.FromMinutes(1);
    private volatile HeldClient? current;

    /// <summary>
    /// Sends <paramref name="build"/>'s request (called again for each attempt, so it must produce a fresh message) to
    /// <paramref name="realUrl"/>. The response is returned with headers read and the body not yet read.
    /// </summary>
    public async Task<DevOpsSendResult> SendAsync(ConnectionEntity connection, string realUrl, Func<Uri, HttpRequestMessage> build, bool replayable, CancellationToken ct)
    {
        using var span = TelemetrySpans.StartAzureDevOpsCall(connection.Id);
        var target = hosts.Resolve(realUrl);
        var token = await vault.GetAsync(connection, ct);
        var client = Client();
        var waited = TimeSpan.Zero;
        var refreshed = false;
        for (var attempt = 1; ; attempt++)
        {
            var request = build(target);
            // The cached header string: no per-request encoding, and no parsing, since AdoBridge made it.
            request.Headers.Remove("Authorization");
            request.Headers.TryAddWithoutValidation("Authorization", token.AuthorizationHeader);
            request.Headers.TryAddWithoutValidation("X-TFS-FedAuthRedirect", "Suppress");
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            TelemetryInstruments.RateLimits(response);
            var signInPage = response.StatusCode == HttpStatusCode.NonAuthoritativeInformation
                && response.Content.Headers.ContentType?.MediaType?.Contains("html", StringComparison.OrdinalIgnoreCase) == true;
            if (response.StatusCode == HttpStatusCode.Unauthorized || signInPage)
            {
                if (refreshed || !replayable)
                {
                    return new DevOpsSendResult(response, AuthFailed: true, attempt, waited);
                }

                response.Dispose();
                refreshed = true;
                LogRetryAfterRefresh(logger, connection.Id, signInPage ? 203 : 401);
                token = await vault.RefreshAsync(connection.Id, token.Version, ct);
                continue;
            }

            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable && replayable && IsIdempotent(request.Method)
                && RetryAfterHeader.Of(response) is { } delay && waited + delay <= options.CurrentValue.MaxRetryWait)
            {
                response.Dispose();
                LogWaitingRetryAfter(logger, connection.Id, (int)response.StatusCode, delay.TotalSeconds);
                await Task.Delay(delay, ct);
                waited += delay;
                continue;
            }

            return new DevOpsSendResult(response, AuthFailed: false, attempt, waited);
        }
    }

    private HttpClient Client()
    {
        var now = Environment.TickCount64;
        if (current is { } held && held.Until > now)
        {
            return held.Client;
        }

        var client = http.CreateClient(HttpClientName);
        current = new HeldClient(client, now + (long)ClientReuse.TotalMilliseconds);
        return client;
    }

    private sealed record HeldClient(HttpClient Client, long Until);

    public static bool IsIdempotent(HttpMethod method)
        => method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options || method == HttpMethod.Put || method == HttpMethod.Delete;

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Azure DevOps answered {Status} for connection {ConnectionId}; refreshing its token and retrying once")]
    private static partial void LogRetryAfterRefresh(ILogger logger, string connectionId, int status);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Azure DevOps answered {Status} for connection {ConnectionId}; retrying after {Seconds} s")]
    private static partial void LogWaitingRetryAfter(ILogger logger, string connectionId, int status, double seconds);
}
