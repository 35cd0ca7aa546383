using AdoBridge.Hosting;
using AdoBridge.RateLimiting;
using Microsoft.Extensions.Options;

namespace AdoBridge.Connect;

/// <summary>A person refused by the connect pages' rate limit sees a page that says how long to wait, not problem details.</summary>
internal sealed class ConnectRateLimitPage(IOptionsMonitor<AdoBridgeOptions> options) : IRateLimitPage
{
    public PathString Prefix { get; } = "/connect";

    public Task WriteAsync(HttpContext http, int retryAfterSeconds)
        => ConnectPages.Error("Too many requests", "This connect page was asked for too often from your network in a short time.",
            $"Wait {retryAfterSeconds} second{(retryAfterSeconds == 1 ? string.Empty : "s")}, then reload the page.", null, null,
            options.CurrentValue.ProductName, StatusCodes.Status429TooManyRequests).ExecuteAsync(http);
}
