using System.Security.Claims;
using System.Text.Encodings.Web;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AdoBridge.ApiKeys;

/// <summary>`Authorization: Bearer {api key}` for the product API. Failures answer 401/403 problem details.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ApiKeyHandlerLoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyService keys,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string EnvironmentClaim = "adobridge:environment";
    public const string RoleClaim = "adobridge:role";
    public const string KeyIdClaim = "adobridge:key_id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (PresentedKey(header) is not { } presented)
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <API key>'.");
        }

        var identity = await keys.AuthenticateAsync(presented, Context.RequestAborted);
        if (identity is null)
        {
            return AuthenticateResult.Fail(!presented.StartsWith(ApiKeyFormat.Prefix, StringComparison.Ordinal)
                ? $"That is not an AdoBridge API key: keys look like '{ApiKeyFormat.Prefix}' followed by an id, '_' and the secret (the start-up banner prints the first one), unless the operator chose one with ADOBRIDGE_BOOTSTRAP_API_KEY."
                : "The API key is not valid or has been revoked.");
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(KeyIdClaim, identity.KeyId),
                // The MCP SDK ties a stateful session to the user that opened it by this claim.
                new Claim(ClaimTypes.NameIdentifier, identity.KeyId),
                new Claim(EnvironmentClaim, identity.EnvironmentId),
                new Claim(RoleClaim, identity.Role),
            ],
            SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>The key in an `Authorization: Bearer {key}` header value, or null for any other scheme. The proxy's fast path reads it the same way.</summary>
    public static string? PresentedKey(string header)
        => header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = failure ?? "This endpoint needs an API key: send 'Authorization: Bearer <API key>'. The start-up banner shows the first key; create more with POST /v1/admin/api-keys.",
                Extensions = { ["code"] = failure is null ? "missing_api_key" : "invalid_api_key" },
            },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        // A product key lacks /v1/admin altogether; an admin key lacks only what spans environments.
        var (code, detail) = Context.User.FindFirstValue(RoleClaim) == ApiKeyRoles.Admin
            ? (ApiKeyProblems.OwnerRoleRequired, "This endpoint manages every environment (apps, environments, encryption keys): it needs a key with role 'owner'. An admin key manages only its own environment's keys and data.")
            : ("forbidden", "This API key's role may not call this endpoint: /v1/admin needs a key with role 'admin' (its own environment) or 'owner' (everything).");
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Forbidden",
                Detail = detail,
                Extensions = { ["code"] = code },
            },
        });
    }
}

internal static class ApiKeyPrincipalExtensions
{
    public static string EnvironmentId(this ClaimsPrincipal user)
        => user.FindFirstValue(ApiKeyAuthenticationHandler.EnvironmentClaim) ?? throw new InvalidOperationException("No API key on this request.");

    public static string Role(this ClaimsPrincipal user)
        => user.FindFirstValue(ApiKeyAuthenticationHandler.RoleClaim) ?? throw new InvalidOperationException("No API key on this request.");

    /// <summary>Whether the key may act on every environment (role owner), not only its own.</summary>
    public static bool IsOwner(this ClaimsPrincipal user) => user.Role() == ApiKeyRoles.Owner;

    /// <summary>Whether the key may act on <paramref name="environmentId"/>: its own environment, or any for an owner.</summary>
    public static bool MayManage(this ClaimsPrincipal user, string environmentId) => user.IsOwner() || user.EnvironmentId() == environmentId;
}
