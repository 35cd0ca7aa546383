using AdoBridge.Hosting;

namespace AdoBridge.Events;

/// <summary>Wakes the dispatcher as soon as new events are committed in this process.</summary>
internal sealed class EventSignal : WakeSignal;
