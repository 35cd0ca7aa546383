namespace AdoBridge.Mcp;

/// <summary>The MCP endpoint's settings (section `AdoBridge:Mcp`).</summary>
internal sealed class McpOptions
{
    public const string Section = "AdoBridge:Mcp";

    /// <summary>Largest request body /mcp accepts, in bytes (a tool call's arguments, e.g. a work item's description).</summary>
    public long MaxRequestBodyBytes { get; set; } = 512 * 1024;

    /// <summary>Browser origins (scheme://host[:port]) allowed to call /mcp besides AdoBridge's own; in sandbox mode loopback origins are allowed too.</summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>How long an approval of a destructive call may wait for a person's decision and then for the agent's retry.</summary>
    public TimeSpan ApprovalLifetime { get; set; } = TimeSpan.FromHours(1);
}
