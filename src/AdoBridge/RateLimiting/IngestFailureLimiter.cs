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

    public IngestFailureLimiter(IOptionsMonitor<RateLimitOptions> options)
    {
        this.options = options;
        limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitingServiceCollectionExtensions.PerMinute(address, options.CurrentValue.IngestFailuresPerMinute));
    }

    /// <summary>
    /// Runs <paramref name="next"/> unless this address has used up its allowance of refusals, in which case the 429 is
    /// written here and the answer is null; a 401 or 404 that <paramref name="next"/> answers uses up one permit.
    /// </summary>
    public async ValueTask<object?> RunAsync(HttpContext http, Func<ValueTask<object?>> next)
    {
        if (options.CurrentValue.IngestFailuresPerMinute <= 0)
        {
            return await next();
        }

        var address = RateLimitingServiceCollectionExtensions.ClientAddress(http);

        // Asking for no permit reports whether any is left, without using one.
        using (var probe = limiter.AttemptAcquire(address, 0))
        {
            if (!probe.IsAcquired)
            {
                await RateLimitingServiceCollectionExtensions.RejectAsync(http, probe);
                return null;
            }
        }

        var result = await next();
        if (result is IStatusCodeHttpResult { StatusCode: StatusCodes.Status401Unauthorized or StatusCodes.Status404NotFound })
        {
            limiter.AttemptAcquire(address).Dispose();
        }

        return result;
    }

    public void Dispose() => limiter.Dispose();
}

internal static class IngestFailureLimiterExtensions
{
    /// <summary>Applies <see cref="IngestFailureLimiter"/> to the service-hook ingest route.</summary>
    public static RouteHandlerBuilder LimitFailedIngestAuthentication(this RouteHandlerBuilder route)
        => route.AddEndpointFilter(async (context, next) =>
            await context.HttpContext.RequestServices.GetRequiredService<IngestFailureLimiter>().RunAsync(context.HttpContext, () => next(context)) ?? Results.Empty);
}
