using System.Text.Json.Serialization;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AdoBridge.McpOAuth;

/// <summary>Client metadata (RFC 7591 §2), as a registration request sends it and a client ID metadata document holds it.</summary>
internal sealed record ClientMetadata(
    [property: JsonPropertyName("client_id")] string? ClientId,
    [property: JsonPropertyName("client_name")] string? ClientName,
    [property: JsonPropertyName("redirect_uris")] List<string>? RedirectUris,
    [property: JsonPropertyName("grant_types")] List<string>? GrantTypes,
    [property: JsonPropertyName("response_types")] List<string>? ResponseTypes,
    [property: JsonPropertyName("token_endpoint_auth_method")] string? TokenEndpointAuthMethod,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("client_uri")] string? ClientUri);

/// <summary>What every MCP client may do, and the checks on the metadata it registers with.</summary>
internal static class McpClients
{
    private static readonly string[] ForbiddenSchemes = ["javascript", "data", "file", "vbscript", "about", "blob", "ftp", "ws", "wss"];

    /// <summary>The first problem with the metadata as (error, description), or null. Only public clients with the code flow.</summary>
    public static (string Error, string Description)? Check(ClientMetadata metadata)
    {
        if (metadata.RedirectUris is not { Count: > 0 and <= 10 } uris)
        {
            return ("invalid_redirect_uri", "`redirect_uris` must list 1 to 10 redirect URIs.");
        }

        foreach (var uri in uris)
        {
            if (RedirectUriProblem(uri) is { } problem)
            {
                return ("invalid_redirect_uri", problem);
            }
        }

        if (metadata.TokenEndpointAuthMethod is not (null or "none"))
        {
            return ("invalid_client_metadata", $"`token_endpoint_auth_method` '{Cut(metadata.TokenEndpointAuthMethod)}' is not supported: MCP clients here are public clients with PKCE; send \"none\".");
        }

        if (metadata.GrantTypes?.FirstOrDefault(g => g is not (GrantTypes.AuthorizationCode or GrantTypes.RefreshToken)) is { } grant)
        {
            return ("invalid_client_metadata", $"Grant type '{Cut(grant)}' is not supported: only authorization_code and refresh_token.");
        }

        if (metadata.ResponseTypes?.FirstOrDefault(r => r != ResponseTypes.Code) is { } response)
        {
            return ("invalid_client_metadata", $"Response type '{Cut(response)}' is not supported: only code.");
        }

        if (metadata.ClientName is { Length: > 200 } || metadata.ClientName?.Any(char.IsControl) == true)
        {
            return ("invalid_client_metadata", "`client_name` must be at most 200 characters, without control characters.");
        }

        return null;
    }

    /// <summary>https anywhere, http only on loopback (native apps, RFC 8252), or an app's own scheme (cursor://, vscode://); never a fragment.</summary>
    private static string? RedirectUriProblem(string uri)
    {
        if (uri.Length > 2000 || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Fragment.Length > 0 || parsed.UserInfo.Length > 0)
        {
            return $"'{Cut(uri)}' is not an absolute redirect URI without a fragment.";
        }

        if (parsed.Scheme == Uri.UriSchemeHttp && !parsed.IsLoopback)
        {
            return $"'{Cut(uri)}' uses http on a host other than loopback: use https, or http://127.0.0.1 / http://localhost for a native app.";
        }

        return ForbiddenSchemes.Contains(parsed.Scheme, StringComparer.OrdinalIgnoreCase) ? $"The scheme of '{Cut(uri)}' is not allowed for a redirect URI." : null;
    }

    public static OpenIddictApplicationDescriptor Descriptor(string clientId, ClientMetadata metadata)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientType = ClientTypes.Public,
            ApplicationType = ApplicationTypes.Native,
            ConsentType = ConsentTypes.Explicit,
            DisplayName = string.IsNullOrWhiteSpace(metadata.ClientName) ? clientId : metadata.ClientName.Trim(),
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
                Permissions.Prefixes.Scope + McpResource.Scope,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in metadata.RedirectUris!)
        {
            descriptor.RedirectUris.Add(new Uri(uri));
        }

        return descriptor;
    }

    private static string Cut(string value) => value.Length <= 100 ? value : value[..100];
}
