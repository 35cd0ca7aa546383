using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AdoBridge.Emulator;

/// <summary>Microsoft identity platform v2 under B/login.microsoftonline.com/{tenant}.</summary>
internal static class EntraApi
{
    private static readonly string[] AuthMethods = ["client_secret_post", "client_secret_basic"];
    private static readonly string[] ResponseModes = ["query", "form_post"];
    private static readonly string[] SubjectTypes = ["pairwise"];
    private static readonly string[] SigningAlgs = ["RS256"];
    private static readonly string[] ResponseTypes = ["code"];
    private static readonly string[] ScopesSupported = ["openid", "profile", "email", "offline_access"];
    private static readonly string[] ClaimsSupported = ["sub", "iss", "aud", "exp", "iat", "nonce", "preferred_username", "name", "tid", "ver", "oid", "email"];
    private static readonly string[] ChallengeMethods = ["S256", "plain"];

    public static void Map(RouteGroupBuilder root)
    {
        var login = root.MapGroup("/" + EmulatorDefaults.LoginHost);
        login.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", Discovery);
        login.MapGet("/{tenant}/discovery/v2.0/keys", Keys);
        login.MapGet("/common/discovery/instance", Instance);
        login.MapGet("/{tenant}/oauth2/v2.0/authorize", EntraAuthorize.Authorize);
        login.MapPost("/{tenant}/oauth2/v2.0/login", EntraAuthorize.SignIn).DisableAntiforgery();
        login.MapPost("/{tenant}/oauth2/v2.0/consent", EntraAuthorize.Consent).DisableAntiforgery();
        login.MapPost("/{tenant}/oauth2/v2.0/token", EntraToken.Token).DisableAntiforgery();
        ManagedIdentityApi.Map(root);
    }

    /// <summary>A tenant segment: a tenant id or domain, or the multi-tenant "common" / "organizations".</summary>
    internal static (bool Known, bool Multi, EmulatorTenant? Tenant) ResolveTenant(EmulatorState state, string segment)
    {
        if (segment.Equals("common", StringComparison.OrdinalIgnoreCase) || segment.Equals("organizations", StringComparison.OrdinalIgnoreCase))
        {
            return (true, true, null);
        }

        var tenant = state.Read(_ => state.FindTenantLocked(segment));
        return (tenant is not null, false, tenant);
    }

    private static IResult Discovery(string tenant, HttpContext http, EmulatorState state)
    {
        var resolved = ResolveTenant(state, tenant);
        if (!resolved.Known)
        {
            return EntraErrors.Json(http, state, "invalid_tenant", 90002, EntraErrors.TenantNotFound(tenant));
        }

        var issuerTenant = resolved.Tenant?.Id ?? "{tenantid}";
        var baseUrl = EmulatorUrls.Login(http, tenant);
        return Results.Json(new Dictionary<string, object>
        {
            ["token_endpoint"] = $"{baseUrl}/oauth2/v2.0/token",
            ["token_endpoint_auth_methods_supported"] = AuthMethods,
            ["jwks_uri"] = $"{baseUrl}/discovery/v2.0/keys",
            ["response_modes_supported"] = ResponseModes,
            ["subject_types_supported"] = SubjectTypes,
            ["id_token_signing_alg_values_supported"] = SigningAlgs,
            ["response_types_supported"] = ResponseTypes,
            ["scopes_supported"] = ScopesSupported,
            ["issuer"] = $"{EmulatorUrls.Login(http, issuerTenant)}/v2.0",
            ["request_uri_parameter_supported"] = false,
            ["authorization_endpoint"] = $"{baseUrl}/oauth2/v2.0/authorize",
            ["http_logout_supported"] = true,
            ["frontchannel_logout_supported"] = true,
            ["end_session_endpoint"] = $"{baseUrl}/oauth2/v2.0/logout",
            ["claims_supported"] = ClaimsSupported,
            ["code_challenge_methods_supported"] = ChallengeMethods,
            ["tenant_region_scope"] = "WW",
            ["cloud_instance_name"] = "microsoftonline.com",
            ["cloud_graph_host_name"] = "graph.windows.net",
            ["msgraph_host"] = "graph.microsoft.com",
        });
    }

    private static IResult Keys(string tenant, EmulatorState state, HttpContext http)
    {
        if (!ResolveTenant(state, tenant).Known)
        {
            return EntraErrors.Json(http, state, "invalid_tenant", 90002, EntraErrors.TenantNotFound(tenant));
        }

        var jwt = state.Jwt;
        var key = new Dictionary<string, object>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = jwt.KeyId,
            ["x5t"] = jwt.KeyId,
            ["n"] = jwt.Modulus,
            ["e"] = jwt.Exponent,
        };
        return Results.Json(new { keys = new[] { key } });
    }

    /// <summary>MSAL's instance discovery, so MSAL accepts the emulator as an authority host.</summary>
    private static IResult Instance(HttpContext http)
    {
        var host = http.Request.Host.Value ?? "localhost";
        string? endpoint = http.Request.Query["authorization_endpoint"];
        var tenant = "common";
        if (endpoint is not null && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var index = Array.FindIndex(segments, s => s.Equals("oauth2", StringComparison.OrdinalIgnoreCase));
            tenant = index > 0 ? segments[index - 1] : tenant;
        }

        return Results.Json(new Dictionary<string, object>
        {
            ["tenant_discovery_endpoint"] = $"{EmulatorUrls.Login(http, tenant)}/v2.0/.well-known/openid-configuration",
            ["api-version"] = "1.1",
            ["metadata"] = new[] { new Dictionary<string, object> { ["preferred_network"] = host, ["preferred_cache"] = host, ["aliases"] = new[] { host } } },
        });
    }
}
