using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Entra ID's error responses and AADSTS messages (wording follows what Entra returns today).</summary>
internal static class EntraErrors
{
    public static string CorrelationId(HttpContext http) =>
        (string?)http.Request.Headers["client-request-id"] is { Length: > 0 } id ? id : Guid.NewGuid().ToString();

    /// <summary>Entra's token-endpoint error JSON: description with trace lines, error_codes, timestamp, ids and error_uri.</summary>
    public static IResult Json(HttpContext http, EmulatorState state, string error, int code, string message, string? suberror = null)
    {
        var status = error == "invalid_client" ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest;
        var traceId = Guid.NewGuid().ToString();
        var correlationId = CorrelationId(http);
        var timestamp = state.Now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") + "Z";
        var body = new Dictionary<string, object>
        {
            ["error"] = error,
            ["error_description"] = $"AADSTS{code}: {message}\r\nTrace ID: {traceId}\r\nCorrelation ID: {correlationId}\r\nTimestamp: {timestamp}",
            ["error_codes"] = new[] { code },
            ["timestamp"] = timestamp,
            ["trace_id"] = traceId,
            ["correlation_id"] = correlationId,
            ["error_uri"] = $"https://login.microsoftonline.com/error?code={code}",
        };
        if (suberror is not null)
        {
            body["suberror"] = suberror;
        }

        NoStore(http);
        return Results.Json(body, statusCode: status);
    }

    public static void NoStore(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store, no-cache";
        http.Response.Headers.Pragma = "no-cache";
        http.Response.Headers["x-ms-request-id"] = Guid.NewGuid().ToString();
    }

    public static string MissingParameter(string name) => $"The request body must contain the following parameter: '{name}'.";

    public static string TenantNotFound(string tenant) =>
        $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.";

    public static string AppNotFound(string clientId, string directory) =>
        $"Application with identifier '{clientId}' was not found in the directory '{directory}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.";

    public static string RedirectMismatch(string redirectUri, string clientId) =>
        $"The redirect URI '{redirectUri}' specified in the request does not match the redirect URIs configured for the application '{clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.";

    public static string ReplyAddressMismatch(string given, string original) =>
        $"The reply address '{given}' does not match the reply address '{original}' provided when requesting Authorization code.";

    public static string InvalidSecret(string clientId) =>
        $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'.";

    public static string ExpiredSecret(string clientId) =>
        $"The provided client secret keys for app '{clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.";

    public const string MissingCredential = "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.";

    public const string CodeRedeemed = "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.";

    public const string CodeExpired = "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.";

    public const string Malformed = "Invalid request. Request is malformed or invalid.";

    public const string GrantInvalid = "Provided grant is invalid or malformed.";

    public const string VerifierMissing = "The Code_Verifier does not match the code_challenge supplied in the authorization request.";

    public const string VerifierMismatch = "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.";

    public const string DeclinedConsent = "User declined to consent to access the app.";

    public const string NoTenant = "No tenant-identifying information found in either the request or implied by any provided credentials.";

    public static string RefreshInactive(DateTimeOffset issuedAt) =>
        $"The refresh token has expired due to inactivity. The token was issued on {issuedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffff}Z and was inactive for 90.00:00:00.";

    public static string GrantRevoked(DateTimeOffset issuedAt, DateTimeOffset validFrom) =>
        $"The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '{issuedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffff}Z' and the TokensValidFrom date (before which tokens are not valid) for this user is '{validFrom.UtcDateTime:yyyy-MM-ddTHH:mm:ss}.0000000Z'.";

    public static string ConsentMissing(string clientId, string appName) =>
        $"The user or administrator has not consented to use the application with ID '{clientId}' named '{appName}'. Send an interactive authorization request for this user and resource.";

    public static string UserNotInTenant(string upn, string homeTenantId, string tenantName, string clientId, string appName) =>
        $"User account '{upn}' from identity provider 'https://sts.windows.net/{homeTenantId}/' does not exist in tenant '{tenantName}' and cannot access the application '{clientId}'({appName}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Microsoft Entra user account.";

    public static string UserNotFound(string upn, string tenantName) =>
        $"The user account {upn} does not exist in the {tenantName} directory. To sign into this application, the account must be added to the directory.";

    public static string InvalidScope(string scope) =>
        $"The provided value for the input parameter 'scope' is not valid. The scope '{scope}' does not exist.";

    public static string ClientCredentialsScope(string scope) =>
        $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).";

    // Workload identity federation: wording as Entra returns it (seen in Azure/azure-workload-identity, Azure/login and MSAL issues).
    private const string FederationDocs = "https://learn.microsoft.com/entra/workload-id/workload-identity-federation";

    public const string InvalidJwt = "JWT token is invalid or malformed.";

    public static string NoFederatedIssuer(string issuer) =>
        $"No matching federated identity record found for presented assertion issuer '{issuer}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. {FederationDocs}";

    public static string NoFederatedSubject(string subject) =>
        $"No matching federated identity record found for presented assertion subject '{subject}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. {FederationDocs}";

    public static string NoFederatedRecord(string issuer, string subject, string audience) =>
        $"No matching federated identity record found for presented assertion. Assertion Issuer: '{issuer}'. Assertion Subject: '{subject}'. Assertion Audience: '{audience}'. {FederationDocs}";

    public static string AssertionTimeRange(DateTimeOffset now, DateTimeOffset validFrom, DateTimeOffset expires) =>
        $"Client assertion is not within its valid time range. Current time: {now.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffff}Z, assertion valid from {validFrom.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffff}Z, expiry time of assertion {expires.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffff}Z. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .";

    public const string AssertionTypeInvalid = "The request body must contain the following parameter: 'client_assertion_type'.";
}
