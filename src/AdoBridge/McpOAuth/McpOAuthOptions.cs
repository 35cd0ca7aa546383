namespace AdoBridge.McpOAuth;

/// <summary>AdoBridge as the OAuth 2.1 authorization server of its MCP endpoint (section Mcp:OAuth).</summary>
internal sealed class McpOAuthOptions
{
    public const string Section = "AdoBridge:Mcp:OAuth";

    /// <summary>How long an MCP access token works; short, since a refresh token gets the next one.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a refresh token works unused; each use rotates it.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The environment the connections made by MCP sign-ins belong to; default `sandbox` in sandbox mode, else `production`.</summary>
    public string? Environment { get; set; }

    /// <summary>Whether a client may use an https URL as its client_id (a client ID metadata document AdoBridge fetches).</summary>
    public bool ClientMetadataDocuments { get; set; } = true;
}
