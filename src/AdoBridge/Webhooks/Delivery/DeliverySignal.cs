namespace AdoBridge.Webhooks.Delivery;

/// <summary>Wakes the sender at once when deliveries became due in this process (dispatched, replayed, a slot freed).</summary>
internal sealed class DeliverySignal : IDisposable
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public void Notify()
    {
        try
        {
            if (signal.CurrentCount == 0)
            {
                signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Another thread signalled first: the waiter wakes either way.
        }
    }

    /// <summary>Waits for a signal or the timeout, whichever comes first; false when stopping.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await signal.WaitAsync(timeout, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public void Dispose() => signal.Dispose();
}
