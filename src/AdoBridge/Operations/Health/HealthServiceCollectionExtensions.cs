using AdoBridge.Hosting;
using AdoBridge.Storage;
using AdoBridge.Tokens;
using AdoBridge.Webhooks;
using AdoBridge.Webhooks.Delivery;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AdoBridge.Operations.Health;

internal static class HealthServiceCollectionExtensions
{
    /// <summary>Checks tagged with this make up readiness (/readyz); liveness (/healthz) runs none.</summary>
    public const string ReadyTag = PeriodicWorkerServiceCollectionExtensions.ReadyTag;

    public const string WebhookSender = AdoBridge.Webhooks.Delivery.WebhookSender.WorkerName;
    public const string SubscriptionHealthMonitor = AdoBridge.Webhooks.Subscriptions.SubscriptionHealthMonitor.WorkerName;

    /// <summary>Readiness on the platform's health checks: start-up finished, database reachable, schema current, each background loop going round.</summary>
    public static IServiceCollection AddReadinessChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<StartupHealthCheck>("startup", tags: [ReadyTag])
            .Add(new HealthCheckRegistration("database", sp => Storage(sp, schema: false), HealthStatus.Unhealthy, [ReadyTag]))
            .Add(new HealthCheckRegistration("schema", sp => Storage(sp, schema: true), HealthStatus.Unhealthy, [ReadyTag]))
            .AddWorker(WebhookSender, sp => Delivery(sp) is { Enabled: true } o ? o.PollInterval : null)
            // A sweep checks every subscription once per interval, so one interval is the natural period of its loop.
            .AddWorker(SubscriptionHealthMonitor, sp => sp.GetRequiredService<IOptionsMonitor<ServiceHookOptions>>().CurrentValue.HealthCheckInterval is var i && i > TimeSpan.Zero ? i : null);
        return services;
    }

    private static StorageHealthCheck Storage(IServiceProvider sp, bool schema)
        => new(sp.GetRequiredService<SchemaMigrator>(), sp.GetRequiredService<ILoggerFactory>(), schema);

    private static WebhookDeliveryOptions Delivery(IServiceProvider sp) => sp.GetRequiredService<IOptionsMonitor<WebhookDeliveryOptions>>().CurrentValue;
}
