using AdoBridge.Hosting;

namespace AdoBridge.Webhooks.BulkReplay;

/// <summary>Wakes the bulk replay worker at once when a run was started in this process.</summary>
internal sealed class BulkReplaySignal : WakeSignal;
