using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AdoBridge.Emulator;

/// <summary>
/// The managed-identity token endpoints of an emulated Azure host, in the two shapes Azure SDKs use:
/// IMDS (`GET B/169.254.169.254/metadata/identity/oauth2/token`, header `Metadata: true`, api-version 2018-02-01), as on VMs and AKS;
/// and App Service / Functions / Container Apps (`GET B/managed-identity/msi/token`, header `X-IDENTITY-HEADER`, api-version 2019-08-01),
/// which a client finds through IDENTITY_ENDPOINT and IDENTITY_HEADER. Without `client_id` the system-assigned identity answers.
/// </summary>
internal static class ManagedIdentityApi
{
    public const string ImdsHost = "169.254.169.254";
    public const string ImdsPath = "/metadata/identity/oauth2/token";
    public const string AppServicePath = "/managed-identity/msi/token";

    private const int ExpiresIn = 3599;

    public static void Map(RouteGroupBuilder root)
    {
        root.MapGet("/" + ImdsHost + ImdsPath, Imds);
        root.MapGet(AppServicePath, AppService);
    }

    private static IResult Imds(HttpContext http, EmulatorState state)
    {
        static IResult Refuse(string description) => Results.Json(new { error = "invalid_request", error_description = description }, statusCode: StatusCodes.Status400BadRequest);

        // IMDS asks for the header so that a server-side request forgery cannot fetch a token through a plain GET.
        if (!string.Equals(http.Request.Headers["Metadata"], "true", StringComparison.OrdinalIgnoreCase))
        {
            return Refuse("Required metadata header not specified");
        }

        if (string.IsNullOrEmpty(http.Request.Query["api-version"]))
        {
            return Refuse("Required query variable 'api-version' is missing");
        }

        if (ResourceProblem(http.Request.Query["resource"]) is { } problem)
        {
            return Refuse(problem);
        }

        var identity = state.FindManagedIdentity(http.Request.Query["client_id"]);
        if (identity is null)
        {
            return Refuse("Identity not found");
        }

        var (token, expiresOn) = Issue(state, identity);
        return Results.Json(new Dictionary<string, string>
        {
            ["access_token"] = token,
            ["client_id"] = identity.ClientId,
            ["expires_in"] = ExpiresIn.ToString(CultureInfo.InvariantCulture),
            ["expires_on"] = expiresOn,
            ["ext_expires_in"] = ExpiresIn.ToString(CultureInfo.InvariantCulture),
            ["not_before"] = state.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["resource"] = http.Request.Query["resource"].ToString(),
            ["token_type"] = "Bearer",
        });
    }

    private static IResult AppService(HttpContext http, EmulatorState state)
    {
        IResult Refuse(string message) => Results.Json(new { statusCode = 400, message, correlationId = EntraErrors.CorrelationId(http) }, statusCode: StatusCodes.Status400BadRequest);

        string? header = http.Request.Headers["X-IDENTITY-HEADER"];
        if (string.IsNullOrEmpty(header))
        {
            return Refuse("The request has no X-IDENTITY-HEADER header. Send the value of the IDENTITY_HEADER environment variable in it.");
        }

        if (!Secrets.FixedTimeEquals(header, state.ManagedIdentityHeader))
        {
            return Refuse("The X-IDENTITY-HEADER value is not this host's IDENTITY_HEADER.");
        }

        if (ResourceProblem(http.Request.Query["resource"]) is { } problem)
        {
            return Refuse(problem);
        }

        var identity = state.FindManagedIdentity(http.Request.Query["client_id"]);
        if (identity is null)
        {
            return Refuse("Unable to load the proper Managed Identity.");
        }

        var (token, expiresOn) = Issue(state, identity);
        return Results.Json(new Dictionary<string, string>
        {
            ["access_token"] = token,
            ["expires_on"] = expiresOn,
            ["resource"] = http.Request.Query["resource"].ToString(),
            ["token_type"] = "Bearer",
            ["client_id"] = identity.ClientId,
        });
    }

    /// <summary>The emulator issues tokens for Azure DevOps only, by its application id or its URI form.</summary>
    private static string? ResourceProblem(string? resource)
    {
        if (string.IsNullOrEmpty(resource))
        {
            return "Required query variable 'resource' is missing";
        }

        var trimmed = resource.TrimEnd('/');
        return trimmed.Equals(EmulatorDefaults.AzureDevOpsResourceId, StringComparison.OrdinalIgnoreCase) || trimmed.Equals("api://" + EmulatorDefaults.AzureDevOpsResourceId, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"The emulator issues managed-identity tokens for Azure DevOps ({EmulatorDefaults.AzureDevOpsResourceId}) only, not for '{resource}'.";
    }

    private static (string Token, string ExpiresOn) Issue(EmulatorState state, ManagedIdentityRecord identity)
        => (EntraTokens.AppOnlyAccessToken(state, identity.ClientId, identity.TenantId),
            (state.Now + EntraTokens.AccessTokenLifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
}
