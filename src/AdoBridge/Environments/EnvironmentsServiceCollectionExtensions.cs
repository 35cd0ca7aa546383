namespace AdoBridge.Environments;

internal static class EnvironmentsServiceCollectionExtensions
{
    public static IServiceCollection AddEnvironments(this IServiceCollection services) => services.AddSingleton<EnvironmentService>();
}
