namespace AdoBridge.ConnectSessions;

/// <summary>How long connect sessions are kept after their link expires (section `AdoBridge:ConnectSessions`).</summary>
internal sealed class ConnectSessionCleanupOptions
{
    public const string Section = "AdoBridge:ConnectSessions";

    /// <summary>How long after its link expires a session, with its sealed flow data, is deleted (used or not).</summary>
    public TimeSpan CleanupGracePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the cleanup runs.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Sessions deleted per statement, so the cleanup never holds long locks.</summary>
    public int CleanupBatchSize { get; set; } = 1000;
}
