namespace AdoBridge.Storage;

/// <summary>
/// SQLite has one writer at a time, and a connection that finds the database locked polls for it (SQLite's busy
/// handler sleeps 1, 2, 5 … up to 100 ms between tries). Under a steady stream of commits a poller can lose every
/// race and wait hundreds of milliseconds for a lock that was free most of that time. So every writer in this process
/// queues here instead, and the lock passes straight to the next of them: the busy writers (the ingest group commit,
/// delivery claims, attempt records, the dispatcher, bulk replay) enter explicitly around their transactions, and every
/// other write that goes through Entity Framework (a transaction, or a lone INSERT, UPDATE or DELETE) enters through
/// <see cref="SqliteWriteGateInterceptor"/>. Before that, the few writers outside the gate (a sweep over 5,000
/// subscriptions, say) polled against ingest's commits and cost them hundreds of milliseconds each.
/// Writers take turns in order, except ingest's group commit, which goes ahead of the queue (it waits only for the
/// writer in the gate): an acknowledgement that Azure DevOps waits for should not queue behind background work.
/// A write inside a flow that already holds the gate does not queue again, and no one waits longer than
/// <see cref="MaxWait"/>: past it a writer goes on without its turn, as before the gate, and SQLite's busy handler decides.
/// On PostgreSQL this is a no-op: rows are locked, not the database.
/// </summary>
internal sealed partial class SqliteWriteGate(ILogger<SqliteWriteGate> logger) : IDisposable
{
    /// <summary>The longest a writer waits for its turn (SQLite's own busy timeout is the same).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    // The turn that the current flow took explicitly (EnterAsync), so that its own writes through EF do not queue behind it.
    private static readonly AsyncLocal<Turn?> FlowTurn = new();

    private readonly Lock sync = new();
    private readonly LinkedList<TaskCompletionSource<bool>> ahead = new();
    private readonly LinkedList<TaskCompletionSource<bool>> inOrder = new();
    private bool held;
    private Turn? current;

    /// <summary>
    /// Waits for the writer's turn on SQLite (null on PostgreSQL); dispose the result after the commit.
    /// <paramref name="ahead"/> puts the writer before every queued one (ingest's group commit only). Not an async method
    /// on purpose: the turn is noted in the caller's flow, which an async method's changes would not reach.
    /// </summary>
    public ValueTask<IDisposable?> EnterAsync(bool sqlite, CancellationToken ct, bool ahead = false)
    {
        if (!sqlite)
        {
            return ValueTask.FromResult<IDisposable?>(null);
        }

        var turn = new Turn(this, null);
        FlowTurn.Value = turn;
        return WaitAsync(turn, ahead, ct);
    }

    private async ValueTask<IDisposable?> WaitAsync(Turn turn, bool first, CancellationToken ct)
    {
        if (!await TakeAsync(first, ct))
        {
            return null;
        }

        Volatile.Write(ref current, turn);
        return turn;
    }

    /// <summary>True when the current flow holds the gate (it entered explicitly and has not left).</summary>
    internal bool HeldByThisFlow => FlowTurn.Value is { } mine && ReferenceEquals(mine, Volatile.Read(ref current));

    /// <summary>How many writers wait for their turn.</summary>
    internal int Queued
    {
        get
        {
            lock (sync)
            {
                return ahead.Count + inOrder.Count;
            }
        }
    }

    /// <summary>Whoever holds the gate now, if anyone.</summary>
    internal Turn? Current => Volatile.Read(ref current);

    /// <summary>The turn held for <paramref name="connection"/> by the interceptor, if any.</summary>
    internal Turn? HeldFor(object connection) => Volatile.Read(ref current) is { Owner: { } owner } turn && ReferenceEquals(owner, connection) ? turn : null;

    /// <summary>
    /// Takes a turn for a write on <paramref name="connection"/> (the interceptor), to be ended by <paramref name="until"/>
    /// (a transaction's id, or a command); false when this flow or connection holds it already, or the wait ran out.
    /// </summary>
    internal async ValueTask<bool> EnterForAsync(object connection, object until, CancellationToken ct)
    {
        if (HeldByThisFlow || HeldFor(connection) is not null || !await TakeAsync(first: false, ct))
        {
            return false;
        }

        // Taking the gate is a full fence; readers use Volatile.Read.
        current = new Turn(this, connection) { Until = until };
        return true;
    }

    /// <summary>The same, for EF's synchronous calls (blocking: SQLite's own wait for its lock blocks as well).</summary>
    internal bool EnterFor(object connection, object until)
    {
        if (HeldByThisFlow || HeldFor(connection) is not null || !TakeAsync(first: false, CancellationToken.None).AsTask().GetAwaiter().GetResult())
        {
            return false;
        }

        current = new Turn(this, connection) { Until = until };
        return true;
    }

    /// <summary>Waits until the gate is this caller's (true), or <see cref="MaxWait"/> has passed (false).</summary>
    private async ValueTask<bool> TakeAsync(bool first, CancellationToken ct)
    {
        TaskCompletionSource<bool> waiter;
        LinkedListNode<TaskCompletionSource<bool>> node;
        lock (sync)
        {
            if (!held)
            {
                held = true;
                return true;
            }

            waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = (first ? ahead : inOrder).AddLast(waiter);
        }

        try
        {
            return await waiter.Task.WaitAsync(MaxWait, ct);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            lock (sync)
            {
                if (node.List is { } queue)
                {
                    // Still queued: leave the queue. Otherwise the turn was handed over meanwhile and is this caller's after all.
                    queue.Remove(node);
                    if (e is OperationCanceledException)
                    {
                        throw;
                    }

                    LogWaitedTooLong(logger, MaxWait.TotalSeconds);
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Hands the gate to the next waiter, ingest's first, or frees it.</summary>
    private void Release()
    {
        lock (sync)
        {
            var queue = ahead.First is not null ? ahead : inOrder;
            if (queue.First is { } next)
            {
                queue.RemoveFirst();
                next.Value.SetResult(true);
                return;
            }

            held = false;
        }
    }

    public void Dispose() => current?.Dispose();

    [LoggerMessage(EventId = 131, Level = LogLevel.Warning, Message = "A SQLite writer waited {Seconds} s for its turn and goes on without it; SQLite's busy handler decides")]
    private static partial void LogWaitedTooLong(ILogger logger, double seconds);

    /// <summary>One writer's turn. <see cref="Owner"/> is the connection the interceptor took it for (null when taken explicitly).</summary>
    internal sealed class Turn(SqliteWriteGate gate, object? owner) : IDisposable
    {
        private int released;

        public object? Owner { get; } = owner;

        /// <summary>What ends the turn when the interceptor took it: a transaction's id, or the command written without one.</summary>
        public object? Until { get; init; }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                Interlocked.CompareExchange(ref gate.current, null, this);
                gate.Release();
            }
        }
    }
}
