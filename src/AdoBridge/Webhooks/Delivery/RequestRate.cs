using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>
/// A token bucket over <see cref="WebhookDeliveryOptions.MaxRequestsPerSecond"/>, refilled every 100 ms so sends spread over
/// the second instead of leaving in one burst. Rebuilt when the setting changes.
/// </summary>
internal sealed class RequestRate(IOptionsMonitor<WebhookDeliveryOptions> options) : IDisposable
{
    private readonly Lock sync = new();
    private (int Rate, TokenBucketRateLimiter Limiter)? current;

    public async ValueTask<RateLimitLease> AcquireAsync(CancellationToken ct)
    {
        var limiter = Limiter();
        while (true)
        {
            var lease = await limiter.AcquireAsync(1, ct);
            if (lease.IsAcquired)
            {
                return lease;
            }

            // Queue full (more senders waiting than slots): wait a refill and try again.
            lease.Dispose();
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }
    }

    private TokenBucketRateLimiter Limiter()
    {
        var rate = options.CurrentValue.MaxRequestsPerSecond;
        lock (sync)
        {
            if (current is { } c && c.Rate == rate)
            {
                return c.Limiter;
            }

            var perTick = Math.Max(1, rate / 10);
            var limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = perTick,
                TokensPerPeriod = perTick,
                ReplenishmentPeriod = TimeSpan.FromSeconds(perTick * 1.0 / rate),
                QueueLimit = 100_000,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
            current = (rate, limiter);
            return limiter;
        }
    }

    public void Dispose()
    {
        lock (sync)
        {
            current?.Limiter.Dispose();
        }
    }
}
