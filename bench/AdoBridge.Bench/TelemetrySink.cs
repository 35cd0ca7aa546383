using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AdoBridge.Bench;

/// <summary>
/// `--telemetry`: runs AdoBridge as an operator would with telemetry on (metrics collected for Prometheus and exported by
/// OTLP, traces sampled at 10 % and exported by OTLP), into an OTLP/HTTP sink in this process that takes the exports and
/// counts them, so the export's cost is measured with the collection's. One sink per bench run.
/// </summary>
internal static class TelemetrySink
{
    private static readonly Lazy<int> Port = new(Start);
    private static long requests;
    private static long bytes;

    public static string Summary => $"OTLP sink received {Interlocked.Read(ref requests)} exports, {Interlocked.Read(ref bytes) / 1024.0:F0} KiB";

    /// <summary>AdoBridge's environment for telemetry on; <paramref name="sampleRatio"/> of new traces recorded.</summary>
    public static Dictionary<string, string> Environment(double sampleRatio = 0.1) => new()
    {
        ["AdoBridge__Telemetry__PrometheusEnabled"] = "true",
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{Port.Value}",
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio",
        ["OTEL_TRACES_SAMPLER_ARG"] = sampleRatio.ToString(CultureInfo.InvariantCulture),
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "10000",
    };

    private static int Start()
    {
        var port = Probes.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.Run(async context =>
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                Interlocked.Add(ref bytes, read);
            }

            Interlocked.Increment(ref requests);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/x-protobuf";
        });
        app.StartAsync().GetAwaiter().GetResult();
        return port;
    }
}
