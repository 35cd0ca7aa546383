namespace AdoBridge.ConnectSessions;

internal static class ConnectSessionsServiceCollectionExtensions
{
    /// <summary>Connect sessions (the links a product hands its users) and the clean-up of expired ones.</summary>
    public static IServiceCollection AddConnectSessions(this IServiceCollection services)
    {
        services.AddSingleton<ConnectSessionService>();
        services.AddConnectSessionCleanup();
        return services;
    }
}
