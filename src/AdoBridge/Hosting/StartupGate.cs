namespace AdoBridge.Hosting;

/// <summary>Opens once start-up has finished (sandbox wiring included); background workers wait for it before their first pass.</summary>
internal sealed class StartupGate
{
    private readonly TaskCompletionSource opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task WaitAsync(CancellationToken ct) => opened.Task.WaitAsync(ct);

    public bool IsOpen => opened.Task.IsCompleted;

    public void Open() => opened.TrySetResult();
}
