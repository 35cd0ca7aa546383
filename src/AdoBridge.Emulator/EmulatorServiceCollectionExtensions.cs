using Microsoft.Extensions.DependencyInjection;

namespace AdoBridge.Emulator;

/// <summary>Registers the emulator's services.</summary>
public static class EmulatorServiceCollectionExtensions
{
    public static IServiceCollection AddAzureDevOpsEmulator(this IServiceCollection services, Action<EmulatorOptions>? configure = null)
    {
        var builder = services.AddOptions<EmulatorOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.AddSingleton<EmulatorState>();
        services.AddHttpClient(HookDeliveryService.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(20));
        services.AddHostedService<HookDeliveryService>();
        services.AddHostedService<PipelineRunTicker>();
        return services;
    }
}
