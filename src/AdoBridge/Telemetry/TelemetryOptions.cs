namespace AdoBridge.Telemetry;

/// <summary>
/// AdoBridge's telemetry settings (section `AdoBridge:Telemetry`). Exporters follow OpenTelemetry's own variables
/// (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_SERVICE_NAME`, `OTEL_TRACES_SAMPLER`…); with no exporter configured and
/// <see cref="Enabled"/> false, nothing is collected at all.
/// </summary>
internal sealed class TelemetryOptions
{
    public const string Section = "AdoBridge:Telemetry";

    /// <summary>Collect traces and metrics even with no exporter configured (exporters added in code, e.g. by tests). An OTLP endpoint or the Prometheus endpoint turns collection on by itself.</summary>
    public bool Enabled { get; set; }

    /// <summary>Serve metrics for Prometheus to scrape at <see cref="PrometheusPath"/>. Off by default.</summary>
    public bool PrometheusEnabled { get; set; }

    /// <summary>Where the Prometheus scrape endpoint is served.</summary>
    public string PrometheusPath { get; set; } = "/metrics";

    /// <summary>Serve the scrape endpoint without an API key; otherwise it takes an owner key (`Authorization: Bearer adbk_…`), which Prometheus sends with `authorization.credentials`.</summary>
    public bool PrometheusAllowAnonymous { get; set; }

    /// <summary>Share of new traces recorded (0 to 1), parent-based: a request that arrives with a sampled `traceparent` is recorded. Ignored when `OTEL_TRACES_SAMPLER` is set.</summary>
    public double TraceSampleRatio { get; set; } = 1.0;

    /// <summary>How long one database read serves the gauges (pending deliveries, connections by status, subscription silence).</summary>
    public TimeSpan GaugeCacheDuration { get; set; } = TimeSpan.FromSeconds(5);
}
