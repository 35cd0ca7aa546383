using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AdoBridge.Telemetry;

/// <summary>
/// AdoBridge's own trace source and meter, both named <see cref="Name"/>, and the trace-context helpers the capabilities
/// share. With telemetry off nothing listens: <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null
/// and instruments skip their work, so the calls placed in the code cost a branch each.
/// </summary>
internal static class AdoBridgeTelemetry
{
    public const string Name = "AdoBridge";

    /// <summary>The proxy's own meter (per-connection statistics live in memory; the meter carries their totals).</summary>
    public const string ProxyMeterName = "AdoBridge.Proxy";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    /// <summary>The W3C `traceparent` of the current activity, kept with what it started (an ingested event) so that later work
    /// (its deliveries) continues the same trace; null when nothing is traced.</summary>
    public static string? CurrentTraceParent()
        => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>The context a stored <c>traceparent</c> names, or default when there is none or it does not parse.</summary>
    public static ActivityContext ParseTraceParent(string? traceParent)
        => traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context) ? context : default;

    /// <summary>
    /// Starts a span that continues <paramref name="traceParent"/> (or starts a trace when it is null), never the ambient
    /// activity: background work is started from whatever span happened to be current, which is not its cause.
    /// </summary>
    public static Activity? StartContinuing(string name, ActivityKind kind, string? traceParent)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        Activity.Current = null;
        return Source.StartActivity(name, kind, ParseTraceParent(traceParent));
    }

    private static readonly HttpRequestOptionsKey<bool> OwnSpan = new("AdoBridge.Telemetry.OwnSpan");

    /// <summary>
    /// Sends the current span's context with an outgoing request (W3C `traceparent`, and `tracestate` when set) and marks
    /// the request as traced by that span, so HttpClient's instrumentation adds no span of its own (whose context would
    /// differ from the one sent).
    /// </summary>
    public static void Propagate(HttpRequestMessage request)
    {
        if (Activity.Current is not { IdFormat: ActivityIdFormat.W3C } current)
        {
            return;
        }

        request.Options.Set(OwnSpan, true);
        var headers = request.Headers;
        headers.TryAddWithoutValidation("traceparent", current.Id);
        if (!string.IsNullOrEmpty(current.TraceStateString))
        {
            headers.TryAddWithoutValidation("tracestate", current.TraceStateString);
        }
    }

    /// <summary>Whether <see cref="Propagate"/> marked the request.</summary>
    public static bool IsOwnSpan(HttpRequestMessage request) => request.Options.TryGetValue(OwnSpan, out var own) && own;
}
