using AdoBridge.Apps;
using AdoBridge.AzureDevOps;
using AdoBridge.Connect;
using AdoBridge.ConnectSessions;
using AdoBridge.Events;
using AdoBridge.Tokens;

namespace AdoBridge.Connections;

internal static class ConnectionsServiceCollectionExtensions
{
    /// <summary>Connections, connect sessions and pages, the token vault and its refresher, and the Azure DevOps clients they use.</summary>
    public static IServiceCollection AddAzureDevOpsConnections(this IServiceCollection services)
    {
        services.AddHttpClient(IdentityClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddHttpClient(DevOpsClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddOptions<TokenOptions>().BindConfiguration(TokenOptions.Section)
            .Validate(o => o.RefreshMargin > TimeSpan.Zero && o.RefreshMargin < TimeSpan.FromMinutes(50), "Tokens:RefreshMargin must be between 0 and 50 minutes (access tokens last about an hour).")
            .Validate(o => o.RefresherBatchSize is > 0 and <= 10_000, "Tokens:RefresherBatchSize must be between 1 and 10000.")
            .Validate(o => o.RefresherConcurrency is > 0 and <= 512, "Tokens:RefresherConcurrency must be between 1 and 512.")
            .ValidateOnStart();
        services.AddSingleton<AzureDevOpsHosts>();
        services.AddSingleton<ApiVersionCeilings>();
        services.AddSingleton<IdentityClient>();
        services.AddSingleton<DevOpsClient>();
        services.AddSingleton<EventRecorder>();
        services.AddSingleton<OpenedTokens>();
        services.AddSingleton<TokenVault>();
        services.AddSingleton<TokenRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<TokenRefresher>());
        services.AddSingleton<ConnectionService>();
        services.AddSingleton<ConnectSessionService>();
        services.AddConnectSessionCleanup();
        services.AddSingleton<PatConnector>();
        services.AddSingleton<ConnectFlow>();
        services.AddSingleton<AppDoctor>();
        services.AddSingleton<AppSecretMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<AppSecretMonitor>());
        return services;
    }
}
