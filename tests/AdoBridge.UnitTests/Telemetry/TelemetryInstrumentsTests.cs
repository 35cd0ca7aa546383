using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using AdoBridge.Telemetry;

namespace AdoBridge.UnitTests.Telemetry;

/// <summary>What the instruments record from Azure DevOps' rate-limit headers and a delivered event's id, read with a MeterListener.</summary>
public sealed class TelemetryInstrumentsTests
{
    [Fact]
    public void RateLimits_RecordsRemainingAndRetryAfter_FromAnAzureDevOpsAnswer()
    {
        using var heard = new Heard("adobridge.azure_devops.rate_limit.remaining", "adobridge.azure_devops.rate_limit.delay");
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("X-RateLimit-Remaining", "42.5");
        response.Headers.TryAddWithoutValidation("Retry-After", "7");
        response.Headers.TryAddWithoutValidation("X-RateLimit-Delay", "3");

        TelemetryInstruments.RateLimits(response);

        heard.Values("adobridge.azure_devops.rate_limit.remaining").ShouldBe([42.5]);
        heard.Values("adobridge.azure_devops.rate_limit.delay").ShouldBe([7.0], "Retry-After is what Azure DevOps asks to wait");
    }

    [Fact]
    public void RateLimits_UsesTheDelayHeader_WhenThereIsNoRetryAfter_AndIgnoresAnswersWithoutHeaders()
    {
        using var heard = new Heard("adobridge.azure_devops.rate_limit.remaining", "adobridge.azure_devops.rate_limit.delay");
        using var slowed = new HttpResponseMessage(HttpStatusCode.OK);
        slowed.Headers.TryAddWithoutValidation("X-RateLimit-Delay", "0.75");
        using var plain = new HttpResponseMessage(HttpStatusCode.OK);

        TelemetryInstruments.RateLimits(slowed);
        TelemetryInstruments.RateLimits(plain);

        heard.Values("adobridge.azure_devops.rate_limit.delay").ShouldBe([0.75]);
        heard.Values("adobridge.azure_devops.rate_limit.remaining").ShouldBeEmpty();
    }

    [Fact]
    public void Attempted_RecordsTheLatencyFromTheTimeInTheEventId_OnlyOnSuccess()
    {
        using var heard = new Heard("adobridge.delivery.latency");
        var stored = DateTimeOffset.FromUnixTimeMilliseconds(1_765_000_000_000);
        var eventId = AdoBridge.Storage.Ids.New("evt", new FixedClock(stored));

        TelemetryInstruments.Attempted("failed", eventId, stored.AddSeconds(1), succeeded: false);
        TelemetryInstruments.Attempted("succeeded", eventId, stored.AddSeconds(2.5), succeeded: true);

        heard.Values("adobridge.delivery.latency").ShouldBe([2.5]);
    }

    [Fact]
    public void CurrentTraceParent_IsTheW3CIdOfTheCurrentSpan_AndParsesBack()
    {
        using var activity = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        var traceParent = AdoBridgeTelemetry.CurrentTraceParent();

        traceParent.ShouldBe(activity.Id);
        var context = AdoBridgeTelemetry.ParseTraceParent(traceParent);
        context.TraceId.ShouldBe(activity.TraceId);
        context.SpanId.ShouldBe(activity.SpanId);
        AdoBridgeTelemetry.ParseTraceParent("not a traceparent").ShouldBe(default);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Listens to AdoBridge's meter for the named instruments, on this thread only (tests run in parallel).</summary>
    private sealed class Heard : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly List<(string Name, double Value)> values = [];
        private readonly int thread = Environment.CurrentManagedThreadId;

        public Heard(params string[] names)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == AdoBridgeTelemetry.Name && names.Contains(instrument.Name))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
            {
                if (Environment.CurrentManagedThreadId == thread)
                {
                    lock (values)
                    {
                        values.Add((instrument.Name, value));
                    }
                }
            });
            listener.Start();
        }

        public List<double> Values(string name)
        {
            lock (values)
            {
                return values.Where(v => v.Name == name).Select(v => v.Value).ToList();
            }
        }

        public void Dispose() => listener.Dispose();
    }
}
