using AdoBridge.Hosting;

namespace AdoBridge.Security;

internal static class SecurityServiceCollectionExtensions
{
    public static IServiceCollection AddSecretProtection(this IServiceCollection services)
    {
        services.AddSingleton(sp => MasterKey.Load(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<DataDirectory>()));
        services.AddSingleton<SecretProtector>();
        return services;
    }
}
