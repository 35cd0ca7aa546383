namespace AdoBridge.RateLimiting;

/// <summary>
/// The answer to a person (not an API caller) refused by a rate limit under <see cref="Prefix"/>: a page instead of problem
/// details. Registered by the capability that serves those pages, so rate limiting does not depend on it.
/// </summary>
internal interface IRateLimitPage
{
    PathString Prefix { get; }

    Task WriteAsync(HttpContext http, int retryAfterSeconds);
}
