namespace AdoBridge.AzureDevOps;

internal static class AzureDevOpsServiceCollectionExtensions
{
    /// <summary>Talking to Azure DevOps and its identity providers: host mapping, api-version ceilings, the identity and REST clients, and the sender.</summary>
    public static IServiceCollection AddAzureDevOps(this IServiceCollection services)
    {
        services.AddOptions<DevOpsSenderOptions>().BindConfiguration(DevOpsSenderOptions.Section)
            .Validate(o => o.MaxRetryWait >= TimeSpan.Zero && o.MaxRetryWait <= TimeSpan.FromMinutes(10), "Proxy:MaxRetryWait must be between 0 and 10 minutes.")
            .ValidateOnStart();
        services.AddHttpClient(IdentityClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddHttpClient(DevOpsClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddSingleton<AzureDevOpsHosts>();
        services.AddSingleton<ApiVersionCeilings>();
        services.AddSingleton<IdentityClient>();
        services.AddSingleton<DevOpsClient>();
        services.AddSingleton<DevOpsSender>();
        return services;
    }
}
