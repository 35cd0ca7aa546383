namespace AdoBridge.Events;

/// <summary>Wakes the dispatcher as soon as new events are committed in this process, so delivery does not wait for
/// its next poll. Other instances find the same events by polling.</summary>
internal sealed class EventSignal : IDisposable
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public void Notify()
    {
        if (signal.CurrentCount == 0)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another thread signalled first: the waiter wakes either way.
            }
        }
    }

    public void Dispose() => signal.Dispose();

    /// <summary>Waits for a signal or the poll interval, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan poll, CancellationToken ct)
    {
        try
        {
            await signal.WaitAsync(poll, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
