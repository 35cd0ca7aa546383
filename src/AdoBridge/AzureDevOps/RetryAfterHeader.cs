namespace AdoBridge.AzureDevOps;

/// <summary>How long Azure DevOps asks a caller to wait (`Retry-After`, in seconds or as a date), for the sender and the proxy.</summary>
internal static class RetryAfterHeader
{
    /// <summary>The wait the answer asks for (never negative), or null when it names none.</summary>
    public static TimeSpan? Of(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var delay = date - DateTimeOffset.UtcNow;
            return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
        }

        return null;
    }
}
