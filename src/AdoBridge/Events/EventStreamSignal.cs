using AdoBridge.Hosting;

namespace AdoBridge.Events;

/// <summary>Wakes the event stream's sequencer as soon as events or replays are committed in this process.</summary>
internal sealed class EventStreamSignal : WakeSignal;
