using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AdoBridge.McpOAuth;

internal static class McpOAuthServiceCollectionExtensions
{
    /// <summary>
    /// OpenIddict as the authorization server of /mcp: authorization code (PKCE S256 only) and refresh tokens, resource
    /// indicators with the /mcp URL as the one resource, its data in AdoBridge's database, and the local validation that
    /// checks each access token's audience and its entry in the database (so a revoked token is refused at once).
    /// </summary>
    public static IServiceCollection AddMcpOAuth(this IServiceCollection services)
    {
        services.AddOptions<McpOAuthOptions>().BindConfiguration(McpOAuthOptions.Section)
            .Validate(o => o.AccessTokenLifetime >= TimeSpan.FromSeconds(1) && o.AccessTokenLifetime <= TimeSpan.FromHours(24), $"{McpOAuthOptions.Section}:AccessTokenLifetime must be between 00:00:01 and 1.00:00:00 (default 00:10:00).")
            .Validate(o => o.RefreshTokenLifetime >= TimeSpan.FromMinutes(1) && o.RefreshTokenLifetime <= TimeSpan.FromDays(365), $"{McpOAuthOptions.Section}:RefreshTokenLifetime must be between 00:01:00 and 365.00:00:00 (default 30.00:00:00).")
            .ValidateOnStart();
        services.AddSingleton<McpResource>();
        services.AddSingleton<McpOAuthKeyRing>();
        services.AddScoped<McpOAuthFlow>();
        services.AddScoped<McpOAuthGrants>();
        services.AddScoped<ClientMetadataDocuments>();
        services.AddHttpClient(ClientMetadataDocuments.HttpClientName, c => c.Timeout = ClientMetadataDocuments.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false, ConnectCallback = ClientMetadataDocuments.ConnectAsync });

        // OpenIddict's stores take the context from the request scope.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContext());

        services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<AdoBridgeDbContext>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris(McpResource.AuthorizePath.TrimStart('/'))
                    .SetTokenEndpointUris(McpResource.TokenPath.TrimStart('/'))
                    .SetRevocationEndpointUris(McpResource.RevokePath.TrimStart('/'))
                    .SetConfigurationEndpointUris(".well-known/oauth-authorization-server", ".well-known/openid-configuration");
                o.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow();
                o.RequireProofKeyForCodeExchange();
                o.RegisterScopes(McpResource.Scope, Scopes.OfflineAccess);
                // The one resource is the /mcp URL, known once the server listens; it is registered in Configure below.
                o.IgnoreResourcePermissions();
                o.UseAspNetCore().EnableAuthorizationEndpointPassthrough();
                o.AddEventHandler(ClientMetadataDocuments.Handler);
                o.AddEventHandler(McpOAuthMetadata.Handler);
            })
            .AddValidation(o =>
            {
                o.UseLocalServer();
                o.EnableTokenEntryValidation();
                o.EnableAuthorizationEntryValidation();
                o.UseAspNetCore();
            });

        services.AddOptions<OpenIddictServerOptions>().Configure<McpResource, McpOAuthKeyRing, IOptions<McpOAuthOptions>, TimeProvider>((o, resource, keys, settings, clock) =>
        {
            o.TimeProvider = clock;
            o.Issuer = new Uri(resource.Issuer);
            o.Resources.Add(new Uri(resource.Url));
            o.SigningCredentials.Add(new Microsoft.IdentityModel.Tokens.SigningCredentials(keys.Signing, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha256));
            o.EncryptionCredentials.Add(new Microsoft.IdentityModel.Tokens.EncryptingCredentials(keys.Encryption, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.Aes256KW, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.Aes256CbcHmacSha512));
            // PKCE with S256 only: `plain` would let an intercepted authorization request's challenge serve as the verifier.
            o.CodeChallengeMethods.Clear();
            o.CodeChallengeMethods.Add(CodeChallengeMethods.Sha256);
            o.AccessTokenLifetime = settings.Value.AccessTokenLifetime;
            o.RefreshTokenLifetime = settings.Value.RefreshTokenLifetime;
            // Strict rotation: a refresh token works once; presenting it again is taken as theft and revokes the grant's tokens.
            o.RefreshTokenReuseLeeway = TimeSpan.Zero;
        });
        services.AddOptions<OpenIddictServerAspNetCoreOptions>().Configure<McpResource>((o, resource) => o.DisableTransportSecurityRequirement = !resource.IsHttps);
        services.AddOptions<OpenIddictValidationOptions>().Configure<McpResource, TimeProvider>((o, resource, clock) =>
        {
            // RFC 8707 at the resource: a token whose audience is not the /mcp URL (another resource's, or none) is refused.
            o.Audiences.Add(resource.Url);
            o.TimeProvider = clock;
        });

        services.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, McpAuthenticationHandler>(McpAuthenticationHandler.SchemeName, null);
        return services;
    }
}
