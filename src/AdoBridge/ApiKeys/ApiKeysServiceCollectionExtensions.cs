using AdoBridge.Environments;
using Microsoft.AspNetCore.Authentication;

namespace AdoBridge.ApiKeys;

internal static class ApiKeysServiceCollectionExtensions
{
    public const string ProductPolicy = "product";
    public const string AdminPolicy = "admin";
    public const string OwnerPolicy = "owner";

    public static IServiceCollection AddApiKeys(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<ApiKeyUsage>();
        services.AddSingleton<ApiKeyHandlerLoggerFactory>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ProductPolicy, p => p.RequireAuthenticatedUser())
            .AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireClaim(ApiKeyAuthenticationHandler.RoleClaim, ApiKeyRoles.Admin, ApiKeyRoles.Owner))
            .AddPolicy(OwnerPolicy, p => p.RequireAuthenticatedUser().RequireClaim(ApiKeyAuthenticationHandler.RoleClaim, ApiKeyRoles.Owner));
        return services;
    }
}
