using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AdoBridge.Telemetry;

/// <summary>OpenTelemetry wiring: what is traced and measured, and where it goes (OTLP, Prometheus).</summary>
internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Turns telemetry on when an exporter is configured (an OTLP endpoint, the Prometheus endpoint) or
    /// `AdoBridge:Telemetry:Enabled` is true. Otherwise nothing is registered: no listener, so no span or measurement is made.
    /// </summary>
    public static IHostApplicationBuilder AddAdoBridgeTelemetry(this IHostApplicationBuilder builder)
    {
        const string S = TelemetryOptions.Section;
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(S)
            .Validate(o => o.TraceSampleRatio is >= 0 and <= 1, $"{S}:TraceSampleRatio must be a fraction from 0 to 1 (default 1; 0.1 records one new trace in ten).")
            .Validate(o => o.GaugeCacheDuration >= TimeSpan.Zero && o.GaugeCacheDuration <= TimeSpan.FromMinutes(5), $"{S}:GaugeCacheDuration must be between 0 and 5 minutes (default 00:00:05).")
            .Validate(o => !o.PrometheusEnabled || ValidPath(o.PrometheusPath),
                $"{S}:PrometheusPath must be a path of its own starting with '/', outside /v1, /hooks and /connect (default /metrics).")
            .ValidateOnStart();

        var config = builder.Configuration;
        var options = config.GetSection(S).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlpTraces = IsSet(config, "OTEL_EXPORTER_OTLP_ENDPOINT") || IsSet(config, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        var otlpMetrics = IsSet(config, "OTEL_EXPORTER_OTLP_ENDPOINT") || IsSet(config, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT");
        if (!options.Enabled && !options.PrometheusEnabled && !otlpTraces && !otlpMetrics)
        {
            return builder;
        }

        builder.Services.AddSingleton<StoreGauges>();
        builder.Services.AddOpenTelemetry()
            // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, read by the environment detector added after, win over this default.
            .ConfigureResource(r => r.AddService("adobridge", serviceVersion: typeof(TelemetryOptions).Assembly.GetName().Version?.ToString()).AddEnvironmentVariableDetector())
            .WithTracing(t =>
            {
                t.AddSource(AdoBridgeTelemetry.Name)
                    .AddAspNetCoreInstrumentation(o => o.EnrichWithHttpResponse = TraceScrubbing.ScrubSecretPath)
                    // Webhook deliveries are traced by AdoBridge's own client span, whose context the product receives.
                    .AddHttpClientInstrumentation(o =>
                    {
                        o.FilterHttpRequestMessage = r => !AdoBridgeTelemetry.IsOwnSpan(r);
                        o.EnrichWithHttpRequestMessage = TraceScrubbing.ScrubSecretUrl;
                    });
                if (!IsSet(config, "OTEL_TRACES_SAMPLER"))
                {
                    t.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(Math.Clamp(options.TraceSampleRatio, 0, 1))));
                }

                if (otlpTraces)
                {
                    t.AddOtlpExporter();
                }
            })
            .WithMetrics(m =>
            {
                m.AddMeter(AdoBridgeTelemetry.Name, AdoBridgeTelemetry.ProxyMeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddInstrumentation(sp => sp.GetRequiredService<StoreGauges>());
                if (otlpMetrics)
                {
                    m.AddOtlpExporter();
                }

                if (options.PrometheusEnabled)
                {
                    m.AddPrometheusExporter();
                }
            });
        return builder;
    }

    /// <summary>Maps the Prometheus scrape endpoint when it is enabled, protected by <paramref name="policy"/> unless the operator opened it.</summary>
    public static IEndpointRouteBuilder MapAdoBridgeTelemetry(this IEndpointRouteBuilder endpoints, string policy)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (!options.PrometheusEnabled)
        {
            return endpoints;
        }

        var scrape = endpoints.MapPrometheusScrapingEndpoint(options.PrometheusPath).WithTags("Telemetry").ExcludeFromDescription();
        // Open only by the operator's choice (a scraper on a private network that cannot send a key): the figures are
        // aggregate counts with bounded labels, no ids, but they still describe the installation.
        _ = options.PrometheusAllowAnonymous ? scrape.AllowAnonymous() : scrape.RequireAuthorization(policy);
        return endpoints;
    }

    private static bool IsSet(IConfiguration config, string key) => !string.IsNullOrWhiteSpace(config[key]);

    private static readonly string[] ReservedPrefixes = ["/v1", "/hooks", "/connect"];

    private static bool ValidPath(string? path)
        => path is { Length: > 1 } && path[0] == '/' && !path.Contains('?', StringComparison.Ordinal)
           && !ReservedPrefixes.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase));
}
