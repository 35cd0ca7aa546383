namespace AdoBridge.Storage;

/// <summary>
/// SQLite has one writer at a time, and a connection that finds the database locked polls for it (SQLite's busy
/// handler sleeps 1, 2, 5 … up to 100 ms between tries). Under a steady stream of commits a poller can lose every
/// race and wait hundreds of milliseconds for a lock that was free most of that time. AdoBridge's busy writers (the
/// ingest group commit, delivery claims, attempt records, the dispatcher) queue here instead, in process and in
/// order, so the lock passes straight to the next of them. Writers that do not enter (rare API writes) still work:
/// they fall back on the busy handler. On PostgreSQL this is a no-op: rows are locked, not the database.
/// </summary>
internal sealed class SqliteWriteGate : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Waits for the writer's turn on SQLite (null on PostgreSQL); dispose the result after the commit.</summary>
    public async ValueTask<IDisposable?> EnterAsync(bool sqlite, CancellationToken ct)
    {
        if (!sqlite)
        {
            return null;
        }

        await gate.WaitAsync(ct);
        return new Turn(gate);
    }

    public void Dispose() => gate.Dispose();

    private sealed class Turn(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
