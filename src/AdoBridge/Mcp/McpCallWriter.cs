using System.Threading.Channels;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Mcp;

/// <summary>
/// Writes audit records off the call's path: a tool call queues its record and answers at once; this loop inserts what
/// has queued in one transaction (a group commit, in SQLite's writer queue), so an audit row costs a call no disk wait.
/// A listing first waits for every record queued before it (<see cref="FlushAsync"/>), so it always shows finished calls.
/// On shutdown the queue is drained; records are lost only if the process dies or the database refuses them (logged).
/// </summary>
internal sealed partial class McpCallWriter(IDbContextFactory<AdoBridgeDbContext> contexts, SqliteWriteGate writers, ILogger<McpCallWriter> logger) : BackgroundService
{
    private const int BatchSize = 500;

    private readonly Channel<McpCallEntity> queue = Channel.CreateBounded<McpCallEntity>(new BoundedChannelOptions(20_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly Lock signalLock = new();
    private long queued;
    private long done;
    private TaskCompletionSource batchDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Queues a record (waits only when 20,000 are already waiting: the database is far behind).</summary>
    public ValueTask EnqueueAsync(McpCallEntity call, CancellationToken ct)
    {
        Interlocked.Increment(ref queued);
        return queue.Writer.WriteAsync(call, ct);
    }

    /// <summary>Returns once every record queued before the call is written (or given up on).</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        var target = Interlocked.Read(ref queued);
        while (true)
        {
            Task next;
            lock (signalLock)
            {
                if (Interlocked.Read(ref done) >= target)
                {
                    return;
                }

                next = batchDone.Task;
            }

            await next.WaitAsync(ct);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await WriteBatchAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: write what is queued.
            queue.Writer.TryComplete();
            while (queue.Reader.Count > 0)
            {
                await WriteBatchAsync(CancellationToken.None);
            }
        }
    }

    private async Task WriteBatchAsync(CancellationToken ct)
    {
        var batch = new List<McpCallEntity>(Math.Min(BatchSize, queue.Reader.Count));
        while (batch.Count < BatchSize && queue.Reader.TryRead(out var call))
        {
            batch.Add(call);
        }

        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            using var turn = await writers.EnterAsync(db.Database.IsSqlite(), ct);
            db.McpCalls.AddRange(batch);
            await db.SaveChangesAsync(ct);
        }
        catch (Exception e) when (StoreFailure.Is(e) || e is DbUpdateException)
        {
            LogNotRecorded(logger, batch.Count, e.GetType().Name);
        }
        finally
        {
            lock (signalLock)
            {
                Interlocked.Add(ref done, batch.Count);
                batchDone.TrySetResult();
                batchDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    [LoggerMessage(EventId = 1803, Level = LogLevel.Warning, Message = "{Count} MCP tool calls were not recorded in the audit ({ExceptionType})")]
    private static partial void LogNotRecorded(ILogger logger, int count, string exceptionType);
}
