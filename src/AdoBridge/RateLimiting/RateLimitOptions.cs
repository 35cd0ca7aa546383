namespace AdoBridge.RateLimiting;

/// <summary>Request limits against floods and guessing (section `AdoBridge:RateLimits`). 0 turns a limit off.</summary>
internal sealed class RateLimitOptions
{
    public const string Section = "AdoBridge:RateLimits";

    /// <summary>Connect sessions one API key may create per minute (a burst of this many, then an even rate).</summary>
    public int ConnectSessionsPerMinute { get; set; } = 120;

    /// <summary>Requests to the MCP endpoint (/mcp) one API key may make per minute: tool calls and lists alike.</summary>
    public int McpRequestsPerMinute { get; set; } = 1200;

    /// <summary>Requests to the connect pages (/connect/…) per client address per minute.</summary>
    public int ConnectPagesPerMinute { get; set; } = 300;

    /// <summary>Refused service-hook deliveries (unknown path or wrong secret) per client address per minute; beyond it, every ingest request from that address waits.</summary>
    public int IngestFailuresPerMinute { get; set; } = 60;
}
