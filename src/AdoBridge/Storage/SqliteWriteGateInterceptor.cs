using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AdoBridge.Storage;

/// <summary>
/// Puts every Entity Framework write on SQLite in <see cref="SqliteWriteGate"/>'s queue: a transaction takes its turn as
/// it begins (Microsoft.Data.Sqlite begins with <c>BEGIN IMMEDIATE</c>, which takes SQLite's write lock) and gives it back
/// when it commits, rolls back or fails (or, disposed without either, with its context); an INSERT, UPDATE or DELETE run outside a transaction (a one-row SaveChanges, an
/// ExecuteUpdate) holds it for that command. Closing the connection also gives back whatever is still held for it. Reads never wait: SQLite's write-ahead log lets them run beside a writer.
/// </summary>
internal sealed class SqliteWriteGateInterceptor(SqliteWriteGate gate) : IDbTransactionInterceptor, IDbCommandInterceptor, IDbConnectionInterceptor
{
    /// <summary>The gate it queues writers in (<see cref="AdoBridgeDbContext"/> ends a turn its transaction left behind).</summary>
    public SqliteWriteGate Gate => gate;

    // Transactions.

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        gate.EnterFor(connection, eventData.TransactionId);
        return result;
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        await gate.EnterForAsync(connection, eventData.TransactionId, cancellationToken);
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.TransactionId);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        => Ended(eventData.TransactionId);

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.TransactionId);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        => Ended(eventData.TransactionId);

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Ended(eventData.TransactionId);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
        => Ended(eventData.TransactionId);

    // Writes outside a transaction.

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Enter(command);
        return result;
    }

    public async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await EnterAsync(command, cancellationToken);
        return result;
    }

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Enter(command);
        return result;
    }

    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await EnterAsync(command, cancellationToken);
        return result;
    }

    public InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Enter(command);
        return result;
    }

    public async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await EnterAsync(command, cancellationToken);
        return result;
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Done(command);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Done(command);
        return ValueTask.FromResult(result);
    }

    public object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Done(command);
        return result;
    }

    public ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Done(command);
        return ValueTask.FromResult(result);
    }

    // A write read as a reader (RETURNING) holds SQLite's lock until its reader is done with.
    public InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        Done(command);
        return result;
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Done(command);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Done(command);
        return Task.CompletedTask;
    }

    public void CommandCanceled(DbCommand command, CommandEndEventData eventData) => Done(command);

    public Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Done(command);
        return Task.CompletedTask;
    }

    // The backstop: a closed connection holds no lock.

    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => gate.HeldFor(connection)?.Dispose();

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        gate.HeldFor(connection)?.Dispose();
        return Task.CompletedTask;
    }

    private void Enter(DbCommand command)
    {
        if (command.Transaction is null && command.Connection is { } connection && IsWrite(command.CommandText))
        {
            gate.EnterFor(connection, command);
        }
    }

    private async ValueTask EnterAsync(DbCommand command, CancellationToken ct)
    {
        if (command.Transaction is null && command.Connection is { } connection && IsWrite(command.CommandText))
        {
            await gate.EnterForAsync(connection, command, ct);
        }
    }

    private void Done(DbCommand command)
    {
        if (command.Connection is { } connection && gate.HeldFor(connection) is { } turn && ReferenceEquals(turn.Until, command))
        {
            turn.Dispose();
        }
    }

    private Task Ended(Guid transactionId)
    {
        // The turn is the one whose transaction ended (its connection may already be detached from the transaction object).
        if (gate.Current is { Owner: not null, Until: Guid id } turn && id == transactionId)
        {
            turn.Dispose();
        }

        return Task.CompletedTask;
    }

    /// <summary>Whether the statement writes: it starts, after any comment lines EF's tags add, with INSERT, UPDATE, DELETE or REPLACE.</summary>
    internal static bool IsWrite(string text)
    {
        var rest = text.AsSpan().TrimStart();
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            var end = rest.IndexOf('\n');
            rest = end < 0 ? [] : rest[(end + 1)..].TrimStart();
        }

        return rest.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
            || rest.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("REPLACE", StringComparison.OrdinalIgnoreCase);
    }
}
