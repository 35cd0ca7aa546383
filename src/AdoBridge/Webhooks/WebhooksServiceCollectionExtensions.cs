using AdoBridge.Connections;
using AdoBridge.Hosting;
using AdoBridge.Webhooks.Ingest;
using AdoBridge.Webhooks.Subscriptions;

namespace AdoBridge.Webhooks;

internal static class WebhooksServiceCollectionExtensions
{
    /// <summary>Subscriptions to Azure DevOps service hooks, their health checks, and ingest.</summary>
    public static IServiceCollection AddServiceHooks(this IServiceCollection services)
    {
        services.AddOptions<ServiceHookOptions>().BindConfiguration(ServiceHookOptions.Section)
            .Validate(o => o.HealthCheckInterval >= TimeSpan.Zero, "AdoBridge:ServiceHooks:HealthCheckInterval must be zero (off) or a positive time span such as 00:15:00.")
            .Validate(o => o.SilenceAlarmAfter >= TimeSpan.Zero, "AdoBridge:ServiceHooks:SilenceAlarmAfter must be zero (no alarm) or a positive time span such as 1.00:00:00.")
            .ValidateOnStart();
        services.AddSingleton<HookRegistrar>();
        services.AddSingleton<HookDirectory>();
        services.AddSingleton<SubscriptionService>();
        services.AddSingleton<IConnectionCleanup>(sp => sp.GetRequiredService<SubscriptionService>());
        services.AddSingleton<SubscriptionHealth>();
        services.AddSingleton<SubscriptionHealthReport>();
        services.AddHostedService<SubscriptionHealthMonitor>();
        services.AddSingleton<IngestWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestWriter>());
        // Not a periodic loop (it waits on its queue), but it beats while idle, so readiness sees it stuck.
        services.AddHealthChecks().AddWorker(IngestWriter.WorkerName, _ => IngestWriter.HeartbeatInterval);
        return services;
    }
}
