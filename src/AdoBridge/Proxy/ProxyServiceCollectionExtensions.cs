namespace AdoBridge.Proxy;

internal static class ProxyServiceCollectionExtensions
{
    public static IServiceCollection AddProxy(this IServiceCollection services)
    {
        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section)
            .Validate(o => o.MaxRetryWait >= TimeSpan.Zero && o.MaxRetryWait <= TimeSpan.FromMinutes(10), "Proxy:MaxRetryWait must be between 0 and 10 minutes.")
            .Validate(o => o.Timeout > TimeSpan.Zero && o.Timeout <= TimeSpan.FromMinutes(30), "Proxy:Timeout must be more than 0 and at most 30 minutes.")
            .ValidateOnStart();

        // The proxy itself: YARP's forwarder only (no routes, clusters or config), through one invoker.
        services.AddHttpForwarder();
        // YARP logs two Information lines per forwarded request; the proxy writes its own one, and YARP's warnings stay.
        services.AddLogging(logging => logging.AddFilter("Yarp.ReverseProxy.Forwarder", LogLevel.Warning));
        services.AddSingleton<ProxyInvoker>();
        services.AddSingleton<ProxyDiscovery>();
        services.AddSingleton<ProxyHandler>();
        services.AddSingleton<ProxyStats>();
        return services;
    }
}
