using AdoBridge.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;

namespace AdoBridge.AdminConsole;

/// <summary>An operator refused by a rate limit in the console (making reconnect links) sees the console's page with how long to wait.</summary>
internal sealed class ConsoleRateLimitPage(IAntiforgery antiforgery) : IRateLimitPage
{
    public PathString Prefix { get; } = "/console";

    public Task WriteAsync(HttpContext http, int retryAfterSeconds)
        => ConsoleProblems.Page(http, antiforgery, "Too many requests", StatusCodes.Status429TooManyRequests,
            $"This was asked for too often in a short time (the limit is AdoBridge:RateLimits:ConnectSessionsPerMinute). Wait {retryAfterSeconds} second{(retryAfterSeconds == 1 ? string.Empty : "s")}, then try again.")
            .ExecuteAsync(http);
}
