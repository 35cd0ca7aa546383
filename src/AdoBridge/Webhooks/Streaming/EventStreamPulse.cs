namespace AdoBridge.Webhooks.Streaming;

/// <summary>
/// Tells every open stream of this instance at once that new positions were committed. Unlike a wake signal (one
/// waiter), each stream takes <see cref="Next"/> before it reads and waits on it after, so a pulse between the two is not lost.
/// </summary>
internal sealed class EventStreamPulse
{
    private TaskCompletionSource current = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next pulse.</summary>
    public Task Next => Volatile.Read(ref current).Task;

    public void Pulse() => Interlocked.Exchange(ref current, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
