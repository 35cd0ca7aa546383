using AdoBridge.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdoBridge.Storage;

/// <summary>
/// Copies SQLite's write-ahead log back into the database file once a second, off the write path. Left to itself,
/// SQLite does this inside whichever commit crosses 1,000 log pages, and that commit (an ingest batch whose requests
/// wait for it, or any writer queued behind it) pays for the copy and its fsyncs. The connections' own automatic
/// checkpoint stays on with a higher threshold (<see cref="SqlitePragmas"/>), as a backstop should this service not run.
/// PASSIVE never blocks readers or writers: it copies what it can and the rest waits for the next pass.
/// </summary>
internal sealed partial class SqliteCheckpointer(
    IDbContextFactory<AdoBridgeDbContext> contexts, IOptions<StorageOptions> storage, StartupGate gate, WorkerHeartbeats heartbeats, TimeProvider clock, ILogger<SqliteCheckpointer> logger)
    : PeriodicWorker(WorkerName, gate, heartbeats, clock)
{
    public const string WorkerName = "sqlite-checkpointer";

    /// <summary>Once a second on SQLite; PostgreSQL has nothing to checkpoint, so the worker is off there.</summary>
    public override TimeSpan? Interval => storage.Value.ParsedProvider == StorageProvider.Sqlite ? TimeSpan.FromSeconds(1) : null;

    protected override Task RunPassAsync(CancellationToken ct) => CheckpointAsync(ct);

    protected override bool OnPassFailed(Exception error) => false;

    private async Task CheckpointAsync(CancellationToken ct)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            await db.Database.OpenConnectionAsync(ct);
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // The next pass tries again; the automatic checkpoint is the backstop.
            LogCheckpointFailed(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Warning, Message = "SQLite checkpoint failed ({ExceptionType}); it will try again")]
    private static partial void LogCheckpointFailed(ILogger logger, string exceptionType);
}
