namespace AdoBridge.Connections;

internal static class ConnectionsServiceCollectionExtensions
{
    /// <summary>Connections and the PAT connector.</summary>
    public static IServiceCollection AddAzureDevOpsConnections(this IServiceCollection services)
    {
        services.AddSingleton<ConnectionService>();
        services.AddSingleton<PatConnector>();
        return services;
    }
}
