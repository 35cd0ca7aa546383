using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using AdoBridge.Telemetry;
using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>What one attempt got: status, how long it took, the first KiB of the answer, and an error in words (never a secret or the URL).</summary>
internal sealed record AttemptResult(DateTimeOffset StartedAt, int DurationMs, int? StatusCode, string Outcome, string? Error, string? ResponseExcerpt)
{
    public bool Succeeded => Outcome == AttemptOutcome.Succeeded;
}

/// <summary>
/// Sends one signed request (Standard Webhooks headers) with a hard timeout and no redirects, at most
/// <see cref="WebhookDeliveryOptions.MaxRequestsPerSecond"/> a second from this instance.
/// </summary>
internal sealed partial class WebhookHttpSender(IHttpClientFactory factory, IOptionsMonitor<WebhookDeliveryOptions> options, TimeProvider clock, ILogger<WebhookHttpSender> logger)
    : IDisposable
{
    public const string HttpClientName = "webhooks";
    public const string UserAgent = "AdoBridge-Webhooks/1.0 (+https://www.standardwebhooks.com)";
    private const int ExcerptBytes = 1024;

    private readonly RequestRate rate = new(options);

    public async Task<AttemptResult> SendAsync(EndpointTarget target, string webhookId, byte[] body, CancellationToken stopping)
    {
        using var permit = await rate.AcquireAsync(stopping);
        var started = clock.GetUtcNow();
        var timestamp = started.ToUnixTimeSeconds();
        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(options.CurrentValue.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation("webhook-id", webhookId);
            request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation("webhook-signature", Signatures(target, webhookId, timestamp, body, started));
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            AdoBridgeTelemetry.Propagate(request);

            using var response = await factory.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var excerpt = await ExcerptAsync(response, timeout.Token);
            var status = (int)response.StatusCode;
            var ok = status is >= 200 and < 300;
            string? error = ok ? null : status is >= 300 and < 400 ? $"The endpoint answered {status} (a redirect); AdoBridge does not follow redirects: register the final URL." : $"The endpoint answered {status}.";
            return new AttemptResult(started, Elapsed(watch), status, ok ? AttemptOutcome.Succeeded : AttemptOutcome.Failed, error, excerpt);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return new AttemptResult(started, Elapsed(watch), null, AttemptOutcome.Timeout,
                $"No complete answer within {options.CurrentValue.Timeout.TotalSeconds:0.###} s.", null);
        }
        catch (HttpRequestException e) when (Refused(e) is { } refused)
        {
            // Nothing about the destination is recorded (no connect error, no timing that tells an open port from a closed
            // one): the product that registered the URL reads attempts, and must not learn what lies inside the network.
            LogRefused(logger, target.Id, refused.Range);
            return new AttemptResult(started, 0, null, AttemptOutcome.DestinationRefused,
                $"The endpoint's host is not a public address, so AdoBridge did not connect to it. An operator can allow private receivers with {DestinationPolicy.Setting}.", null);
        }
        catch (HttpRequestException e)
        {
            return new AttemptResult(started, Elapsed(watch), null, AttemptOutcome.Error, Describe(e), null);
        }
    }

    /// <summary>One signature per valid key, space-separated: during a rotation's grace period both verify.</summary>
    private static string Signatures(EndpointTarget target, string webhookId, long timestamp, byte[] body, DateTimeOffset now)
    {
        var current = SigningKey.Sign(target.Key, webhookId, timestamp, body);
        return target.PreviousKey is not null && target.PreviousKeyExpiresAt > now
            ? current + " " + SigningKey.Sign(target.PreviousKey, webhookId, timestamp, body)
            : current;
    }

    private static async Task<string?> ExcerptAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[ExcerptBytes];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), ct);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        // Cut at a character boundary: a multi-byte character split at 1 KiB would decode as U+FFFD anyway, drop it.
        return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read).TrimEnd('\uFFFD');
    }

    // HttpRequestException messages can carry the host and port; say what failed in words instead.
    private static string Describe(HttpRequestException e) => e.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "The endpoint's host name did not resolve.",
        HttpRequestError.ConnectionError => "Could not connect to the endpoint (refused or unreachable).",
        HttpRequestError.SecureConnectionError => "The TLS handshake with the endpoint failed (certificate or protocol).",
        HttpRequestError.ResponseEnded => "The endpoint closed the connection before answering.",
        HttpRequestError.InvalidResponse => "The endpoint's answer was not valid HTTP.",
        HttpRequestError.ConfigurationLimitExceeded => "The endpoint's answer headers were too large.",
        HttpRequestError.ProxyTunnelError => "The outbound proxy refused the connection.",
        HttpRequestError.HttpProtocolError => "HTTP protocol error talking to the endpoint.",
        _ => "The request to the endpoint failed.",
    };

    private static DestinationRefusedException? Refused(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is DestinationRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

    public void Dispose() => rate.Dispose();

    [LoggerMessage(EventId = 513, Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} was not sent to: its host is {Range}, which is not allowed (AdoBridge:Webhooks:AllowedPrivateDestinations)")]
    private static partial void LogRefused(ILogger logger, string endpointId, string range);

    private static int Elapsed(Stopwatch watch) => (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds);
}
