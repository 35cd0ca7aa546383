using AdoBridge.Hosting;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>Wakes the sender at once when deliveries became due in this process (dispatched, replayed, a slot freed).</summary>
internal sealed class DeliverySignal : WakeSignal;
