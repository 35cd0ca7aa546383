namespace AdoBridge.McpOAuth;

/// <summary>Claims an MCP access token carries into /mcp, beside the API key handler's environment and key id.</summary>
internal static class McpOAuthClaims
{
    /// <summary>The connection the token acts as: tool calls act as it and no other.</summary>
    public const string Connection = "adobridge:connection";

    /// <summary>The OAuth client the token was issued to.</summary>
    public const string Client = "adobridge:oauth_client";

    /// <summary>Inside the token: the environment of the connection.</summary>
    public const string Environment = "adobridge_env";
}
