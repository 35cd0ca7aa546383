using System.ComponentModel;
using System.Security.Claims;
using System.Text.Json;
using AdoBridge.ApiKeys;
using AdoBridge.Problems;
using AdoBridge.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenIddict.Abstractions;

namespace AdoBridge.McpOAuth;

/// <summary>
/// The OAuth side of /mcp. Anonymous by design (an MCP client arrives with nothing): the protected resource metadata,
/// the authorization endpoint (OpenIddict checks it first; the connect flow and the consent page protect the user) and
/// dynamic client registration. OpenIddict itself serves the token, revocation and server metadata endpoints. The
/// product API lists and revokes the tokens of its environment's connections.
/// </summary>
internal static class McpOAuthApi
{
    private static readonly string[] Scopes = [McpResource.Scope, OpenIddictConstants.Scopes.OfflineAccess];
    private static readonly string[] BearerMethods = ["header"];
    private static readonly string[] GrantTypes = [OpenIddictConstants.GrantTypes.AuthorizationCode, OpenIddictConstants.GrantTypes.RefreshToken];
    private static readonly string[] ResponseTypes = [OpenIddictConstants.ResponseTypes.Code];

    public static WebApplication MapMcpOAuth(this WebApplication app)
    {
        var open = app.MapGroup(string.Empty).AllowAnonymous().ExcludeFromDescription();
        open.MapGet(McpResource.MetadataPath, ProtectedResourceMetadata);
        open.MapGet(McpResource.MetadataPath + McpResource.Path, ProtectedResourceMetadata);
        open.MapMethods(McpResource.AuthorizePath, [HttpMethods.Get, HttpMethods.Post], (McpOAuthFlow flow, HttpContext http, CancellationToken ct) => flow.AuthorizeAsync(http, ct))
            .RequireRateLimiting(RateLimitingServiceCollectionExtensions.ConnectPagesPolicy).DisableAntiforgery();
        open.MapPost(McpResource.RegisterPath, RegisterAsync).RequireRateLimiting(RateLimitingServiceCollectionExtensions.ConnectPagesPolicy).DisableAntiforgery();

        var tokens = app.MapGroup("/v1/mcp/tokens").RequireAuthorization(ApiKeysServiceCollectionExtensions.ProductPolicy).WithTags("MCP");
        tokens.MapGet(string.Empty, ListTokensAsync)
            .WithName("listMcpTokens").WithSummary("List MCP OAuth tokens")
            .WithDescription("The valid access and refresh tokens MCP clients hold for this key's environment, newest first: each with its type, the OAuth client (its client_id and name), the connection it acts as, its grant and when it expires. The token values themselves are never shown.");
        tokens.MapDelete("/{id}", RevokeTokenAsync)
            .WithName("revokeMcpToken").WithProblemCodes(StatusCodes.Status404NotFound, "mcp_token_not_found").WithSummary("Revoke an MCP OAuth token")
            .WithDescription("Revokes the token and every token of its grant (the access and refresh tokens the client got from one approval), and forgets the approval, so the client must sign in and be approved again. /mcp refuses them from the next request.");
        return app;
    }

    /// <summary>RFC 9728: where an MCP client learns which authorization server issues tokens for /mcp.</summary>
    private static IResult ProtectedResourceMetadata(McpResource resource) => Results.Json(new Dictionary<string, object>
    {
        ["resource"] = resource.Url,
        ["authorization_servers"] = new[] { resource.Issuer.TrimEnd('/') },
        ["scopes_supported"] = Scopes,
        ["bearer_methods_supported"] = BearerMethods,
        ["resource_name"] = "AdoBridge MCP",
        ["resource_documentation"] = resource.Issuer + "docs",
    });

    /// <summary>RFC 7591 dynamic client registration, for public clients (PKCE, no secret).</summary>
    private static async Task<IResult> RegisterAsync(HttpRequest request, IOpenIddictApplicationManager applications, TimeProvider clock, CancellationToken ct)
    {
        ClientMetadata? metadata;
        try
        {
            metadata = await request.ReadFromJsonAsync<ClientMetadata>(ct);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return RegistrationError("invalid_client_metadata", "The body must be a JSON object of client metadata (RFC 7591), sent as application/json.");
        }

        if (metadata is null)
        {
            return RegistrationError("invalid_client_metadata", "The body must be a JSON object of client metadata (RFC 7591).");
        }

        if (McpClients.Check(metadata) is { } problem)
        {
            return RegistrationError(problem.Error, problem.Description);
        }

        var clientId = "mcp_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var descriptor = McpClients.Descriptor(clientId, metadata);
        await applications.CreateAsync(descriptor, ct);
        return Results.Json(new Dictionary<string, object?>
        {
            ["client_id"] = clientId,
            ["client_id_issued_at"] = clock.GetUtcNow().ToUnixTimeSeconds(),
            ["client_name"] = descriptor.DisplayName,
            ["redirect_uris"] = metadata.RedirectUris,
            ["grant_types"] = GrantTypes,
            ["response_types"] = ResponseTypes,
            ["token_endpoint_auth_method"] = "none",
            ["scope"] = $"{McpResource.Scope} {OpenIddictConstants.Scopes.OfflineAccess}",
        }, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>RFC 7591's error shape (what MCP clients read), inside problem details with AdoBridge's code.</summary>
    private static ProblemHttpResult RegistrationError(string error, string description)
        => Problem.BadRequest(error, description, new Dictionary<string, object?> { ["error"] = error, ["error_description"] = description });

    private static async Task<Ok<McpTokenList>> ListTokensAsync(ClaimsPrincipal user, McpOAuthGrants grants,
        [Description("Only tokens acting as this connection (`conn_…`).")] string? connectionId, CancellationToken ct)
        => TypedResults.Ok(new McpTokenList(await grants.ListAsync(user.EnvironmentId(), connectionId, ct)));

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeTokenAsync([Description("The token's id, as GET /v1/mcp/tokens lists it.")] string id, ClaimsPrincipal user, McpOAuthGrants grants, CancellationToken ct)
        => await grants.RevokeAsync(user.EnvironmentId(), id, ct)
            ? TypedResults.NoContent()
            : Problem.NotFound("mcp_token_not_found", $"There is no MCP token '{(id.Length <= 100 ? id : id[..100])}' in this environment. GET /v1/mcp/tokens lists them.");
}

/// <summary>The MCP tokens of an environment.</summary>
internal sealed record McpTokenList([property: Description("The tokens, newest first.")] IReadOnlyList<McpTokenView> Data);
