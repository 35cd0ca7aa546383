namespace AdoBridge.Apps;

internal static class AppsServiceCollectionExtensions
{
    public static IServiceCollection AddApps(this IServiceCollection services) => services.AddSingleton<AppRegistry>();
}
