namespace AdoBridge.Proxy;

/// <summary>How the proxy forwards to Azure DevOps (section `Proxy`).</summary>
internal sealed class ProxyOptions
{
    public const string Section = "Proxy";

    /// <summary>Longest total wait for `Retry-After` on 429/503 before the answer is passed back as it is.</summary>
    public TimeSpan MaxRetryWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Request bodies up to this size are kept in memory so a request can be sent again after a token refresh; larger ones stream once.</summary>
    public int ReplayableBodyLimit { get; set; } = 1024 * 1024;

    /// <summary>Largest request body the proxy accepts.</summary>
    public long MaxRequestBodySize { get; set; } = 100L * 1024 * 1024;

    /// <summary>Time allowed for Azure DevOps to start answering.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);
}
