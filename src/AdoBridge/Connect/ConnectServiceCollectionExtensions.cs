using AdoBridge.RateLimiting;

namespace AdoBridge.Connect;

internal static class ConnectServiceCollectionExtensions
{
    /// <summary>The connect pages' flow, and their page for a person refused by the rate limit.</summary>
    public static IServiceCollection AddConnect(this IServiceCollection services)
    {
        services.AddSingleton<ConnectFlow>();
        services.AddSingleton<IRateLimitPage, ConnectRateLimitPage>();
        return services;
    }
}
