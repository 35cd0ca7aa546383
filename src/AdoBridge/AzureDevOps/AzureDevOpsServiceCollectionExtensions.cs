namespace AdoBridge.AzureDevOps;

internal static class AzureDevOpsServiceCollectionExtensions
{
    /// <summary>Talking to Azure DevOps and its identity providers: host mapping, api-version ceilings, the identity and REST clients, and the sender.</summary>
    public static IServiceCollection AddAzureDevOps(this IServiceCollection services)
    {
        services.AddOptions<DevOpsSenderOptions>().BindConfiguration(DevOpsSenderOptions.Section)
            .Validate(o => o.MaxRetryWait >= TimeSpan.Zero && o.MaxRetryWait <= TimeSpan.FromMinutes(10), "Proxy:MaxRetryWait must be between 0 and 10 minutes.")
            .Validate(o => o.Timeout > TimeSpan.Zero && o.Timeout <= TimeSpan.FromMinutes(30), "Proxy:Timeout must be more than 0 and at most 30 minutes.")
            .ValidateOnStart();
        // The sender's client: bodies pass through as they are (no redirects followed, no decompression, no cookies); the
        // sender writes its own log lines, and the factory's two per-request log scopes cost more than the call.
        services.AddHttpClient(DevOpsSender.HttpClientName, (sp, c) => c.Timeout = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DevOpsSenderOptions>>().Value.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = System.Net.DecompressionMethods.None,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = 512,
            })
            .RemoveAllLoggers();
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
