using AdoBridge.Hosting;

namespace AdoBridge.McpOAuth;

/// <summary>The protected resource (the MCP endpoint) and the authorization server's public addresses.</summary>
internal sealed class McpResource(PublicUrls urls)
{
    /// <summary>The MCP endpoint's path; the resource the tokens are for.</summary>
    public const string Path = "/mcp";
    public const string MetadataPath = "/.well-known/oauth-protected-resource";
    public const string AuthorizePath = "/oauth/authorize";
    public const string TokenPath = "/oauth/token";
    public const string RegisterPath = "/oauth/register";
    public const string RevokePath = "/oauth/revoke";
    public const string Scope = "mcp";

    public string Issuer => urls.BaseUrl + "/";

    /// <summary>The audience of every MCP access token: the absolute /mcp URL (RFC 8707).</summary>
    public string Url => urls.BaseUrl + Path;

    /// <summary>Where the protected resource metadata of /mcp is (RFC 9728, path-suffixed form).</summary>
    public string MetadataUrl => urls.BaseUrl + MetadataPath + Path;

    public bool IsHttps => urls.BaseUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}
