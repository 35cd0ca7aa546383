using AdoBridge.AzureDevOps;
using AdoBridge.Hosting;

namespace AdoBridge.Tokens;

internal static class TokensServiceCollectionExtensions
{
    /// <summary>The token vault (the access-token source of the Azure DevOps sender) and the background refresher.</summary>
    public static IServiceCollection AddTokens(this IServiceCollection services)
    {
        services.AddOptions<TokenOptions>().BindConfiguration(TokenOptions.Section)
            .Validate(o => o.RefreshMargin > TimeSpan.Zero && o.RefreshMargin < TimeSpan.FromMinutes(50), "Tokens:RefreshMargin must be between 0 and 50 minutes (access tokens last about an hour).")
            .Validate(o => o.RefresherBatchSize is > 0 and <= 10_000, "Tokens:RefresherBatchSize must be between 1 and 10000.")
            .Validate(o => o.RefresherConcurrency is > 0 and <= 512, "Tokens:RefresherConcurrency must be between 1 and 512.")
            .ValidateOnStart();
        services.AddSingleton<OpenedTokens>();
        services.AddSingleton<SealedTokens>();
        services.AddSingleton<TokenRenewer>();
        services.AddSingleton<TokenVault>();
        services.AddSingleton<IAccessTokenSource>(sp => sp.GetRequiredService<TokenVault>());
        services.AddPeriodicWorker<TokenRefresher>(TokenRefresher.WorkerName);
        return services;
    }
}
