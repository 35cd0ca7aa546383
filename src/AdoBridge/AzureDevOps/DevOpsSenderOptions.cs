namespace AdoBridge.AzureDevOps;

/// <summary>How the sender retries calls to Azure DevOps (section `Proxy`, where these settings have always been documented).</summary>
internal sealed class DevOpsSenderOptions
{
    public const string Section = "Proxy";

    /// <summary>Longest total wait for `Retry-After` on 429/503 before the answer is passed back as it is.</summary>
    public TimeSpan MaxRetryWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long Azure DevOps may stay silent before a call fails (the proxy's `Proxy:Timeout`).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);
}
