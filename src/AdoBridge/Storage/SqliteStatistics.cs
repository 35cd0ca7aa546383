using AdoBridge.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdoBridge.Storage;

/// <summary>
/// Keeps SQLite's query-planner statistics current: at start-up and then hourly, ANALYZE each table that has indexes,
/// reading a bounded sample of each index (<c>analysis_limit</c>), so it costs milliseconds on any size of database.
/// Without statistics SQLite guesses that an equality on the first column of an index selects a few rows, and on a large
/// log that guess picks a scan of a whole environment over the right index (a connection search by the start of an
/// e-mail, for one). PostgreSQL's autovacuum does this for itself, so the worker is off there.
/// </summary>
internal sealed partial class SqliteStatistics(
    IDbContextFactory<AdoBridgeDbContext> contexts, IOptions<StorageOptions> storage, SqliteWriteGate writers, StartupGate gate, WorkerHeartbeats heartbeats,
    TimeProvider clock, ILogger<SqliteStatistics> logger)
    : PeriodicWorker(WorkerName, gate, heartbeats, clock)
{
    public const string WorkerName = "sqlite-statistics";

    /// <summary>Rows read per index: enough for the planner's estimates, bounded whatever the table's size.</summary>
    internal const int AnalysisLimit = 1000;

    public override TimeSpan? Interval => storage.Value.ParsedProvider == StorageProvider.Sqlite ? TimeSpan.FromHours(1) : null;

    protected override bool OnPassFailed(Exception error) => false;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "Table names read from sqlite_master, quoted; no input reaches the statement.")]
    protected override async Task RunPassAsync(CancellationToken ct)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            await db.Database.OpenConnectionAsync(ct);
            var connection = db.Database.GetDbConnection();
            var tables = new List<string>();
            await using (var list = connection.CreateCommand())
            {
                list.CommandText = "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'index' AND tbl_name NOT LIKE 'sqlite_%' ORDER BY tbl_name";
                await using var reader = await list.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    tables.Add(reader.GetString(0));
                }
            }

            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA analysis_limit={AnalysisLimit}";
            await command.ExecuteNonQueryAsync(ct);
            foreach (var table in tables)
            {
                // One table per turn of the write gate: ANALYZE writes sqlite_stat1, and ingest's commits go between.
                using var turn = await writers.EnterAsync(true, ct);
                command.CommandText = $"ANALYZE \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
                await command.ExecuteNonQueryAsync(ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // The planner keeps the statistics it had; the next pass tries again.
            LogAnalyzeFailed(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 131, Level = LogLevel.Warning, Message = "SQLite ANALYZE failed ({ExceptionType}); it will try again")]
    private static partial void LogAnalyzeFailed(ILogger logger, string exceptionType);
}
