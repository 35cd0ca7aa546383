namespace AdoBridge.Operations;

/// <summary>Server-wide settings (section `AdoBridge`).</summary>
public sealed class AdoBridgeOptions
{
    public const string Section = "AdoBridge";

    /// <summary>The URL at which browsers and Azure DevOps reach AdoBridge; redirect and ingest URLs derive from it. Defaults to the first listening address.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>`auto` (default: sandbox when no Azure app is configured), `on` or `off`.</summary>
    public string Sandbox { get; set; } = "auto";

    /// <summary>Name shown to end users on connect pages, e.g. "Contoso Code Review".</summary>
    public string ProductName { get; set; } = "AdoBridge";
}
