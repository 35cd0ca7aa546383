using System.Diagnostics;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Storage;
using AdoBridge.IntegrationTests.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AdoBridge.IntegrationTests.Telemetry;

/// <summary>
/// A sandbox AdoBridge with telemetry on and OpenTelemetry's in-memory exporters added: the spans and metrics an OTLP
/// backend would receive. The trace source is process-wide, so spans of other tests' servers may appear too: tests
/// pick theirs by trace id.
/// </summary>
internal sealed class TracedServer : IAsyncDisposable
{
    /// <summary>Telemetry tests run one at a time: servers in one process share instrument names, and a server that stops ends them for the others.</summary>
    public const string Collection = "Telemetry";

    private readonly List<Activity> spans;
    private readonly List<MetricSnapshot> metrics;

    private TracedServer(AdoBridgeServer server, List<Activity> spans, List<MetricSnapshot> metrics)
    {
        Server = server;
        this.spans = spans;
        this.metrics = metrics;
    }

    public AdoBridgeServer Server { get; }

    public static async Task<TracedServer> StartAsync(Dictionary<string, string?>? settings = null, string engine = StorageEngine.Sqlite)
    {
        var all = await StorageEngine.SettingsAsync(engine);
        foreach (var (key, value) in WebhookServers.FastDelivery(settings))
        {
            all[key] = value;
        }

        all.TryAdd("AdoBridge:Telemetry:Enabled", "true");
        var spans = new List<Activity>();
        var metrics = new List<MetricSnapshot>();
        var server = await AdoBridgeServer.StartAsync(all, configure: b =>
        {
            b.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans));
            b.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics));
        });
        return new TracedServer(server, spans, metrics);
    }

    /// <summary>The spans exported so far (a copy: the exporter adds to the list as spans end, on other threads).</summary>
    public IReadOnlyList<Activity> Spans => spans.ToArray().Where(s => s is not null).ToList();

    /// <summary>Waits until a span matching <paramref name="match"/> has ended and been exported.</summary>
    public async Task<Activity> SpanAsync(Func<Activity, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            if (Spans.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("No exported span matched.");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>Collects the metrics now and returns the latest points of <paramref name="name"/>.</summary>
    public IReadOnlyList<MetricPoint> Points(string name)
    {
        metrics.Clear();
        Server.Service<MeterProvider>().ForceFlush();
        return metrics.ToArray().Where(m => m?.Name == name).SelectMany(m => m.MetricPoints).ToList();
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

[CollectionDefinition(TracedServer.Collection)]
public sealed class TelemetryCollection;
