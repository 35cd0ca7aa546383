using System.Net;
using AdoBridge.AzureDevOps;

namespace AdoBridge.Proxy;

internal static class ProxyServiceCollectionExtensions
{
    public static IServiceCollection AddProxy(this IServiceCollection services)
    {
        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section)
            .Validate(o => o.MaxRetryWait >= TimeSpan.Zero && o.MaxRetryWait <= TimeSpan.FromMinutes(10), "Proxy:MaxRetryWait must be between 0 and 10 minutes.")
            .ValidateOnStart();
        services.AddHttpClient(DevOpsSender.HttpClientName, (sp, c) => c.Timeout = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ProxyOptions>>().Value.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // Bodies pass through as they are: no redirects followed, no decompression, no cookies.
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = 512,
            })
            // The proxy writes its own log line per call; the factory's two per-request log scopes cost more than the forwarding.
            .RemoveAllLoggers();
        services.AddSingleton<DevOpsSender>();
        services.AddSingleton<ProxyHandler>();
        services.AddSingleton<ProxyStats>();
        return services;
    }
}
