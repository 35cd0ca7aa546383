namespace AdoBridge.Webhooks.Delivery;

/// <summary>How long the event log keeps events, deliveries and attempts (section `AdoBridge:Events`).</summary>
internal sealed class EventRetentionOptions
{
    public const string Section = "AdoBridge:Events";

    /// <summary>Events older than this many days are deleted with their deliveries and attempts.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>How often the cleanup runs (its first pass is a minute after start-up).</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Events deleted per transaction, so the cleanup never holds long locks.</summary>
    public int CleanupBatchSize { get; set; } = 1000;
}
