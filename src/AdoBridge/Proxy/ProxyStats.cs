using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace AdoBridge.Proxy;

/// <summary>Per-connection proxy counters of this instance, served by GET /v1/connections/{id}/proxy-stats and exported as metrics.</summary>
internal sealed class ProxyStats : IDisposable
{
    private readonly ConcurrentDictionary<string, Counters> byConnection = new(StringComparer.Ordinal);
    private readonly Meter meter = new(Telemetry.AdoBridgeTelemetry.ProxyMeterName);
    private readonly Counter<long> requests;
    private readonly Histogram<double> duration;

    public ProxyStats()
    {
        requests = meter.CreateCounter<long>("adobridge.proxy.requests", description: "Requests proxied to Azure DevOps");
        duration = meter.CreateHistogram<double>("adobridge.proxy.duration", "ms", "Time to the response headers from Azure DevOps");
    }

    internal sealed class Counters
    {
        public long Requests;
        public long ClientErrors;
        public long ServerErrors;
        public long Throttled;
        public long Retries;
        public long AuthFailures;
        public int LastStatus;
        public long LastAtUnixMs;
    }

    internal sealed record Snapshot(long Requests, long ClientErrors, long ServerErrors, long Throttled, long Retries, long AuthFailures, int? LastStatus, DateTimeOffset? LastAt);

    public void Record(string connectionId, int status, int attempts, bool authFailed, double elapsedMs)
    {
        var c = byConnection.GetOrAdd(connectionId, _ => new Counters());
        Interlocked.Increment(ref c.Requests);
        if (status == 429)
        {
            Interlocked.Increment(ref c.Throttled);
        }

        if (status >= 500)
        {
            Interlocked.Increment(ref c.ServerErrors);
        }
        else if (status >= 400)
        {
            Interlocked.Increment(ref c.ClientErrors);
        }

        if (attempts > 1)
        {
            Interlocked.Add(ref c.Retries, attempts - 1);
        }

        if (authFailed)
        {
            Interlocked.Increment(ref c.AuthFailures);
        }

        c.LastStatus = status;
        c.LastAtUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        // Skipped when nothing listens: the tag boxes the status on every request.
        if (requests.Enabled)
        {
            requests.Add(1, new KeyValuePair<string, object?>("status_code", status));
        }

        if (duration.Enabled)
        {
            duration.Record(elapsedMs);
        }
    }

    public Snapshot Get(string connectionId)
        => byConnection.TryGetValue(connectionId, out var c)
            ? new Snapshot(c.Requests, c.ClientErrors, c.ServerErrors, c.Throttled, c.Retries, c.AuthFailures, c.LastStatus, DateTimeOffset.FromUnixTimeMilliseconds(c.LastAtUnixMs))
            : new Snapshot(0, 0, 0, 0, 0, 0, null, null);

    public void Dispose() => meter.Dispose();
}
