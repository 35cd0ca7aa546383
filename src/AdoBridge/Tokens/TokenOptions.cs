namespace AdoBridge.Tokens;

/// <summary>How the token vault keeps access tokens fresh (section `Tokens`).</summary>
internal sealed class TokenOptions
{
    public const string Section = "Tokens";

    /// <summary>Renew an access token this long before it expires.</summary>
    public TimeSpan RefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Renew every OAuth connection before its token expires (true), or only on demand plus a keep-alive (false).</summary>
    public bool ProactiveRefresh { get; set; } = true;

    /// <summary>With on-demand refresh, still renew an idle connection this often, far inside Entra's 90-day inactivity limit.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How often the background refresher looks for due connections.</summary>
    public TimeSpan RefresherInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Due connections the refresher claims per database round trip.</summary>
    public int RefresherBatchSize { get; set; } = 500;

    /// <summary>Token requests the refresher keeps in flight at once.</summary>
    public int RefresherConcurrency { get; set; } = 32;

    /// <summary>Longest wait between retries after the identity provider failed (5xx, network).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Run the background refresher in this instance.</summary>
    public bool RefresherEnabled { get; set; } = true;
}
