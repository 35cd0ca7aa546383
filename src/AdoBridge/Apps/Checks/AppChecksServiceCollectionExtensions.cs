using AdoBridge.Hosting;

namespace AdoBridge.Apps.Checks;

internal static class AppChecksServiceCollectionExtensions
{
    /// <summary>The doctor (live checks against the identity provider) and the monitor that warns before a client secret expires.</summary>
    public static IServiceCollection AddAppChecks(this IServiceCollection services)
    {
        services.AddSingleton<AppDoctor>();
        services.AddPeriodicWorker<AppSecretMonitor>(AppSecretMonitor.WorkerName);
        return services;
    }
}
