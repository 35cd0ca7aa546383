namespace AdoBridge.Webhooks.BulkReplay;

/// <summary>How bulk replay runs are worked (section `AdoBridge:Events:BulkReplay`).</summary>
internal sealed class BulkReplayOptions
{
    public const string Section = "AdoBridge:Events:BulkReplay";

    /// <summary>Work bulk replay runs in this instance (another instance may work them instead).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Events replayed per step; the cursor is saved after each.</summary>
    public int StepSize { get; set; } = 500;

    /// <summary>How often an idle worker looks for a run another instance started (this instance's own start wakes it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claim on a run lasts without renewal: another instance takes the run over after this once its worker stops answering.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The pause after a step, as a multiple of how long the step took (1: the run writes at most half of the time).</summary>
    public double PauseFactor { get; set; } = 1.0;

    /// <summary>No next step while this many deliveries or more wait to be sent (over all environments), so the sender and ingest keep up.</summary>
    public int MaxPendingDeliveries { get; set; } = 10_000;
}
