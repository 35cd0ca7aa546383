namespace AdoBridge.Hosting;

/// <summary>Server-wide settings (section `AdoBridge`).</summary>
internal sealed class AdoBridgeOptions
{
    public const string Section = "AdoBridge";

    /// <summary>The URL at which browsers and Azure DevOps reach AdoBridge; redirect and ingest URLs derive from it. Defaults to the first listening address.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>`auto` (default: sandbox when no Azure app is configured), `on` or `off`.</summary>
    public string Sandbox { get; set; } = "auto";

    /// <summary>Sandbox only: an emulator running elsewhere (tests and benchmarks) instead of the in-process one.</summary>
    public string? EmulatorUrl { get; set; }

    /// <summary>Sandbox only: the admin token of the emulator named by EmulatorUrl.</summary>
    public string? EmulatorAdminToken { get; set; }

    /// <summary>Sandbox only: more redirect URIs to register for the sandbox app (several instances behind one emulator).</summary>
    public List<string>? SandboxRedirectUris { get; set; }

    /// <summary>Sandbox only: return URLs (prefixes) the sandbox app's connect flow may send users back to, beyond localhost.</summary>
    public List<string>? SandboxReturnUrls { get; set; }

    /// <summary>Whether end users may connect with a personal access token on the connect page.</summary>
    public bool AllowPatConnections { get; set; } = true;

    /// <summary>How long a connect link stays valid.</summary>
    public TimeSpan ConnectSessionLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Name shown to end users on connect pages, e.g. "Contoso Code Review".</summary>
    public string ProductName { get; set; } = "AdoBridge";
}
