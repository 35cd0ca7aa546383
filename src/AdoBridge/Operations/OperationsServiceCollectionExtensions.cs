namespace AdoBridge.Operations;

internal static class OperationsServiceCollectionExtensions
{
    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        services.AddSingleton<StartupTasks>();
        services.AddHostedService<MemoryTrimmer>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return services;
    }
}
