using System.Globalization;
using System.Threading.RateLimiting;
using AdoBridge.ApiKeys;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AdoBridge.RateLimiting;

/// <summary>ASP.NET Core's rate limiter, with AdoBridge's policies and answers: 429 with `Retry-After`, as problem details or, on the connect pages, a page.</summary>
internal static class RateLimitingServiceCollectionExtensions
{
    /// <summary>Per API key, or per console account (its reconnect links): creating connect sessions.</summary>
    public const string ConnectSessionsPolicy = "connect-sessions";

    /// <summary>Per API key: requests to the MCP endpoint (tool calls, lists, the handshake).</summary>
    public const string McpPolicy = "mcp";

    /// <summary>Per client address: the end users' connect pages.</summary>
    public const string ConnectPagesPolicy = "connect-pages";

    public const string RateLimitedCode = "rate_limited";

    public static IServiceCollection AddRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => o.ConnectSessionsPerMinute is >= 0 and <= 1_000_000, "AdoBridge:RateLimits:ConnectSessionsPerMinute must be between 0 (off) and 1000000.")
            .Validate(o => o.ConnectPagesPerMinute is >= 0 and <= 1_000_000, "AdoBridge:RateLimits:ConnectPagesPerMinute must be between 0 (off) and 1000000.")
            .Validate(o => o.IngestFailuresPerMinute is >= 0 and <= 1_000_000, "AdoBridge:RateLimits:IngestFailuresPerMinute must be between 0 (off) and 1000000.")
            .Validate(o => o.McpRequestsPerMinute is >= 0 and <= 1_000_000, "AdoBridge:RateLimits:McpRequestsPerMinute must be between 0 (off) and 1000000.")
            .ValidateOnStart();
        services.AddSingleton<IngestFailureLimiter>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(ConnectSessionsPolicy, http => PerMinute(
                http.User.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value is { } key ? "key:" + key
                    : http.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value is { } account ? "console:" + account : string.Empty,
                Options(http).ConnectSessionsPerMinute));
            o.AddPolicy(McpPolicy, http => PerMinute(
                http.User.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value ?? ClientAddress(http),
                Options(http).McpRequestsPerMinute));
            o.AddPolicy(ConnectPagesPolicy, http => PerMinute(ClientAddress(http), Options(http).ConnectPagesPerMinute));
            o.OnRejected = (context, ct) => new ValueTask(RejectAsync(context.HttpContext, context.Lease));
        });
        return services;
    }

    /// <summary>After authentication, so a policy can tell API keys apart.</summary>
    public static IApplicationBuilder UseRateLimits(this IApplicationBuilder app) => app.UseRateLimiter();

    /// <summary>The address a request came from: the connection's, or the client's as a configured reverse proxy reports it.</summary>
    public static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>A burst of <paramref name="perMinute"/>, refilled evenly over the minute; 0 is no limit.</summary>
    public static RateLimitPartition<string> PerMinute(string key, int perMinute)
        => perMinute <= 0
            ? RateLimitPartition.GetNoLimiter(key)
            : RateLimitPartition.GetTokenBucketLimiter(key, _ => Bucket(perMinute));

    public static TokenBucketRateLimiterOptions Bucket(int perMinute) => new()
    {
        // Refilled every second at 60 a minute and more; below that, one token each 60/perMinute seconds.
        TokenLimit = perMinute,
        TokensPerPeriod = Math.Max(1, perMinute / 60),
        ReplenishmentPeriod = perMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / perMinute),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>The 429: `Retry-After` in whole seconds, and problem details or, for a person on a connect page, a page.</summary>
    public static async Task RejectAsync(HttpContext http, RateLimitLease lease)
    {
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        foreach (var page in http.RequestServices.GetServices<IRateLimitPage>())
        {
            if (http.Request.Path.StartsWithSegments(page.Prefix))
            {
                await page.WriteAsync(http, seconds);
                return;
            }
        }

        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"Too many requests of this kind from this caller; try again in {seconds} second{(seconds == 1 ? string.Empty : "s")} (Retry-After). The limits are set under {RateLimitOptions.Section}.",
                Extensions = { ["code"] = RateLimitedCode },
            },
        });
    }

    private static RateLimitOptions Options(HttpContext http) => http.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue;
}
