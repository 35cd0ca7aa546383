using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AdoBridge.Storage;

/// <summary>
/// Per-connection SQLite settings: wait for a busy writer instead of failing at once, enforce foreign keys,
/// and fsync every commit (`synchronous=FULL`) so that an acknowledged write survives a power cut.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;";

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
