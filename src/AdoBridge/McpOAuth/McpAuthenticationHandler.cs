using System.Security.Claims;
using System.Text.Encodings.Web;
using AdoBridge.ApiKeys;
using AdoBridge.Connections;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;

namespace AdoBridge.McpOAuth;

/// <summary>
/// Who calls /mcp: an API key (headless agents, as on the product API) or an MCP access token AdoBridge issued (interactive
/// clients), which acts as its one connection. Without credentials the challenge points at the protected resource
/// metadata (RFC 9728), where an MCP client starts the OAuth flow.
/// </summary>
internal sealed class McpAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ApiKeyHandlerLoggerFactory loggerFactory,
    UrlEncoder encoder,
    McpResource resource,
    ConnectionService connections,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "Mcp";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (ApiKeyAuthenticationHandler.PresentedKey(header) is not { } presented)
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <API key or MCP access token>'.");
        }

        if (presented.StartsWith(ApiKeyFormat.Prefix, StringComparison.Ordinal))
        {
            var key = await Context.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
            return key.Succeeded ? AuthenticateResult.Success(new AuthenticationTicket(key.Principal!, SchemeName)) : AuthenticateResult.Fail(key.Failure!);
        }

        var token = await Context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (!token.Succeeded || token.Principal is not { } claims)
        {
            return AuthenticateResult.Fail(new McpTokenRefused());
        }

        var connectionId = claims.GetClaim(OpenIddictConstants.Claims.Subject);
        var environment = claims.GetClaim(McpOAuthClaims.Environment);
        var client = claims.GetClaim(OpenIddictConstants.Claims.ClientId) ?? "unknown";
        if (connectionId is null || environment is null || await connections.FindAsync(environment, connectionId, Context.RequestAborted) is null)
        {
            return AuthenticateResult.Fail(new McpTokenRefused());
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [
                // The audit's "who": the OAuth client, where an API key's id would be.
                new Claim(ApiKeyAuthenticationHandler.KeyIdClaim, "oauth:" + client),
                new Claim(ClaimTypes.NameIdentifier, $"oauth:{client}:{connectionId}"),
                new Claim(ApiKeyAuthenticationHandler.EnvironmentClaim, environment),
                new Claim(ApiKeyAuthenticationHandler.RoleClaim, ApiKeyRoles.Product),
                new Claim(McpOAuthClaims.Connection, connectionId),
                new Claim(McpOAuthClaims.Client, client),
            ],
            SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = failure is McpTokenRefused
            ? $"Bearer resource_metadata=\"{resource.MetadataUrl}\", error=\"invalid_token\", error_description=\"The access token is expired, revoked or not for this resource.\""
            : $"Bearer resource_metadata=\"{resource.MetadataUrl}\", scope=\"{McpResource.Scope}\"";
        var (code, detail) = failure switch
        {
            null => ("missing_api_key", "/mcp needs credentials: send 'Authorization: Bearer <API key>' (headless agents), or let an MCP client sign in with OAuth: it starts from the resource_metadata in WWW-Authenticate."),
            McpTokenRefused => ("invalid_token", "The MCP access token is expired, revoked, or was issued for another resource. Refresh it, or sign in again."),
            _ => ("invalid_api_key", failure.Message),
        };
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Title = "Unauthorized", Detail = detail, Extensions = { ["code"] = code } },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Problem.Create(StatusCodes.Status403Forbidden, "forbidden", "Forbidden", "These credentials may not use /mcp.").ExecuteAsync(Context);
    }

    private sealed class McpTokenRefused() : Exception("The MCP access token was refused.");
}
