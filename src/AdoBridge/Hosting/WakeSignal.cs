namespace AdoBridge.Hosting;

/// <summary>
/// Wakes a background loop at once when work appeared in this process, so it does not wait for its next poll. Other
/// instances find the same work by polling. Each loop has its own subclass, so each is a separate singleton.
/// </summary>
internal abstract class WakeSignal : IDisposable
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

    /// <summary>Waits for a signal or <paramref name="poll"/>, whichever comes first; returns quietly when stopping.</summary>
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

    public void Dispose()
    {
        signal.Dispose();
        GC.SuppressFinalize(this);
    }
}
