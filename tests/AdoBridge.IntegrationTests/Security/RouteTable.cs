using System.Text.RegularExpressions;
using AdoBridge.ApiKeys;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AdoBridge.IntegrationTests.Security;

/// <summary>One route of a running AdoBridge, read from its route table: a request that reaches it, and the role it demands.</summary>
public sealed record RouteUnderTest(string Method, string Path, string Pattern, string? RequiredRole)
{
    public override string ToString() => $"{Method} {Pattern}";
}

/// <summary>
/// The routes a running server actually maps, with the authorization each carries, so protection tests cover every route
/// added later without anyone remembering to list it.
/// </summary>
public static partial class RouteTable
{
    /// <summary>
    /// What may be reached without an API key: its own audiences (end users, Azure DevOps, probes), the docs, and the OAuth
    /// endpoints of /mcp, anonymous by design (an MCP client arrives with nothing: metadata, authorization, registration).
    /// </summary>
    public static readonly string[] PublicPrefixes = ["/healthz", "/readyz", "/openapi/", "/docs", "/connect", "/hooks/ado/", "/_emulator/", "/console/sign-in", "/console/setup/", "/console/invite/", "/console/assets/", "/oauth/", "/.well-known/oauth-"];

    /// <summary>What <see cref="RouteUnderTest.RequiredRole"/> says for an admin console page: a console session, never an API key.</summary>
    public const string ConsoleSession = "console session";

    public static IReadOnlyList<RouteUnderTest> Read(Microsoft.AspNetCore.Builder.WebApplication app)
    {
        var routes = new List<RouteUnderTest>();
        foreach (var endpoint in ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? string.Empty).TrimStart('/');
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null || policies.Count == 0;
            var role = anonymous ? null
                : policies.Contains(AdoBridge.AdminConsole.ConsoleAuth.Policy) ? ConsoleSession
                : policies.Contains(ApiKeysServiceCollectionExtensions.OwnerPolicy) ? ApiKeyRoles.Owner
                : policies.Contains(ApiKeysServiceCollectionExtensions.AdminPolicy) ? ApiKeyRoles.Admin
                : ApiKeyRoles.Product;
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            foreach (var method in methods is { Count: > 0 } ? methods : ["GET"])
            {
                routes.Add(new RouteUnderTest(method, Parameter().Replace(pattern, "1"), pattern, role));
            }
        }

        return routes;
    }

    /// <summary>How the roles rank: each can do what the ones below it can.</summary>
    public static int Rank(string role) => role switch
    {
        ApiKeyRoles.Owner => 2,
        ApiKeyRoles.Admin => 1,
        _ => 0,
    };

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
