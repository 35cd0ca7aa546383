using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace AdoBridge.RateLimiting;

/// <summary>
/// Limits refused service-hook deliveries (404 unknown path, 401 wrong or missing secret) per client address. Only
/// refusals use up the allowance, so Azure DevOps' steady stream of genuine deliveries never does; once an address has
/// used it up, every ingest request from it gets 429 before any check, so guessing paths or secrets gains nothing.
/// </summary>
internal sealed class IngestFailureLimiter : IDisposable
{
    private readonly IOptionsMonitor<RateLimitOptions> options;
    private readonly PartitionedRateLimiter<string> limiter;

    // When each address was last refused (Environment.TickCount64): once its bucket has had time to refill, it is full.
    private readonly ConcurrentDictionary<string, long> lastRefusal = new(StringComparer.Ordinal);

    public IngestFailureLimiter(IOptionsMonitor<RateLimitOptions> options)
    {
        this.options = options;
        limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitingServiceCollectionExtensions.PerMinute(address, options.CurrentValue.IngestFailuresPerMinute));
    }

    /// <summary>
    /// Runs <paramref name="next"/> unless this address has used up its allowance of refusals, in which case the 429 is
    /// written here and the answer is null; a 401 or 404 that <paramref name="next"/> answers uses up one permit. An address
    /// not refused for as long as its bucket takes to refill has a full bucket, so it is let through without asking the
    /// limiter (whose partition lock every genuine delivery from Azure DevOps' few addresses would otherwise queue on).
    /// </summary>
    public async ValueTask<object?> RunAsync(HttpContext http, Func<ValueTask<object?>> next)
    {
        if (options.CurrentValue.IngestFailuresPerMinute <= 0)
        {
            return await next();
        }

        var address = RateLimitingServiceCollectionExtensions.ClientAddress(http);
        if (lastRefusal.TryGetValue(address, out var refusedAt))
        {
            if (Environment.TickCount64 - refusedAt > RefillMilliseconds(options.CurrentValue.IngestFailuresPerMinute))
            {
                lastRefusal.TryRemove(new KeyValuePair<string, long>(address, refusedAt));
            }
            else
            {
                // A whole permit must be left. The partitioned limiter refills its buckets a fraction at a time (every
                // 100 ms), and a request for no permit succeeds on any fraction, so asking that let an address that had
                // used its allowance up through again a tick later (the refusal tests failed whenever a tick fell between).
                if (limiter.GetStatistics(address)?.CurrentAvailablePermits < 1)
                {
                    // Fails and says when a permit comes back (unless one came back just now: then it is used, and the request goes on).
                    using var refused = limiter.AttemptAcquire(address);
                    if (!refused.IsAcquired)
                    {
                        await RateLimitingServiceCollectionExtensions.RejectAsync(http, refused);
                        return null;
                    }
                }
            }
        }

        var result = await next();
        if (result is IStatusCodeHttpResult { StatusCode: StatusCodes.Status401Unauthorized or StatusCodes.Status404NotFound })
        {
            lastRefusal[address] = Environment.TickCount64;
            limiter.AttemptAcquire(address).Dispose();
        }

        return result;
    }

    public void Dispose() => limiter.Dispose();

    /// <summary>How long an emptied bucket takes to fill again, and a second more.</summary>
    internal static long RefillMilliseconds(int perMinute)
    {
        var bucket = RateLimitingServiceCollectionExtensions.Bucket(perMinute);
        var periods = (long)Math.Ceiling(bucket.TokenLimit / (double)bucket.TokensPerPeriod);
        return (periods * (long)bucket.ReplenishmentPeriod.TotalMilliseconds) + 1000;
    }
}

internal static class IngestFailureLimiterExtensions
{
    /// <summary>Applies <see cref="IngestFailureLimiter"/> to the service-hook ingest route.</summary>
    public static RouteHandlerBuilder LimitFailedIngestAuthentication(this RouteHandlerBuilder route)
        => route.AddEndpointFilter(async (context, next) =>
            await context.HttpContext.RequestServices.GetRequiredService<IngestFailureLimiter>().RunAsync(context.HttpContext, () => next(context)) ?? Results.Empty);
}
