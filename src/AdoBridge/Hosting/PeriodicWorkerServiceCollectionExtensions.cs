using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AdoBridge.Hosting;

internal static class PeriodicWorkerServiceCollectionExtensions
{
    /// <summary>Checks tagged with this make up readiness (/readyz); liveness (/healthz) runs none.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Runs <typeparamref name="T"/> in the background and adds its liveness to readiness under <paramref name="name"/>.</summary>
    public static IServiceCollection AddPeriodicWorker<T>(this IServiceCollection services, string name) where T : PeriodicWorker
    {
        services.AddSingleton<T>();
        services.AddHostedService(sp => sp.GetRequiredService<T>());
        services.AddHealthChecks().AddWorker(name, sp => sp.GetRequiredService<T>().Interval);
        return services;
    }

    /// <summary>Adds readiness for a loop that beats <see cref="WorkerHeartbeats"/> as <paramref name="worker"/> every <paramref name="interval"/> (null: switched off).</summary>
    public static IHealthChecksBuilder AddWorker(this IHealthChecksBuilder builder, string worker, Func<IServiceProvider, TimeSpan?> interval)
        => builder.Add(new HealthCheckRegistration(worker,
            sp => new WorkerHealthCheck(worker, interval, sp, sp.GetRequiredService<WorkerHeartbeats>(), sp.GetRequiredService<StartupGate>(), sp.GetRequiredService<TimeProvider>()),
            HealthStatus.Unhealthy, [ReadyTag]));
}
