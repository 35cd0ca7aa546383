using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using AdoBridge.ApiKeys;

namespace AdoBridge.Mcp.Policies;

/// <summary>
/// Who a policy or an approval is for: `key:&lt;API key id&gt;` for a headless caller, `client:&lt;OAuth client id&gt;` for an
/// interactive client (an AdoBridge OAuth token carries its client, which wins over the key).
/// </summary>
internal static class McpPolicySubject
{
    public const string KeyKind = "key";
    public const string ClientKind = "client";

    /// <summary>The claim the principal of an OAuth caller of /mcp carries its client in (see McpAuthenticationHandler).</summary>
    public const string ClientIdClaim = McpOAuth.McpOAuthClaims.Client;

    public static string Key(string keyId) => KeyKind + ":" + keyId;

    public static string Client(string clientId) => ClientKind + ":" + clientId;

    /// <summary>The subject of the caller of this request.</summary>
    public static string Of(ClaimsPrincipal user)
        => user.FindFirstValue(ClientIdClaim) is { Length: > 0 } client ? Client(client)
            : Key(user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim) ?? "unknown");

    /// <summary>Splits `kind:id`; false when the kind is unknown or the id is empty, too long or not printable ASCII.</summary>
    public static bool TryParse(string subject, [NotNullWhen(true)] out string? kind, [NotNullWhen(true)] out string? id)
    {
        kind = id = null;
        var colon = subject.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || subject[..colon] is not (KeyKind or ClientKind) || subject.Length - colon - 1 is < 1 or > 200
            || subject[(colon + 1)..].Any(c => c is < '!' or > '~'))
        {
            return false;
        }

        kind = subject[..colon];
        id = subject[(colon + 1)..];
        return true;
    }
}
