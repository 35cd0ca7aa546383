using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AdoBridge.Storage;

/// <summary>
/// Per-connection SQLite settings: wait for a busy writer instead of failing at once, enforce foreign keys,
/// and fsync every commit (`synchronous=FULL`) so that an acknowledged write survives a power cut. The automatic
/// checkpoint waits for 10,000 log pages (about 40 MiB) because <see cref="SqliteCheckpointer"/> checkpoints every second
/// off the write path; it is only the backstop.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=10000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
