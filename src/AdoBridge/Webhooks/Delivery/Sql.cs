using System.Data.Common;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>
/// Raw SQL over the context's connection for the statements EF cannot express (claims with SKIP LOCKED, ON CONFLICT).
/// Instants go in as timestamptz on PostgreSQL and as the fixed-width UTC text the model uses on SQLite.
/// </summary>
internal sealed class Sql(AdoBridgeDbContext db)
{
    public bool Postgres { get; } = SchemaMigrator.ProviderOf(db) == StorageProvider.Postgres;
[System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "The statement is composed of constant text and parameter names AdoBridge generates; values go in as parameters.")]

    public async Task<DbCommand> CommandAsync(string text, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = text;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    public void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = ToDb(value);
        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// Runs the statements in the current transaction: on PostgreSQL in one round trip (a command batch), on SQLite one
    /// after another (in process, nothing to save). Each statement's <c>bind</c> adds its parameters by name.
    /// </summary>
    public async Task RunAllAsync(IReadOnlyList<(string Text, Action<Action<string, object?>> Bind)> statements, CancellationToken ct)
    {
        if (statements.Count == 0)
        {
            return;
        }

        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        if (Postgres && connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            foreach (var (text, bind) in statements)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = text;
                bind((name, value) =>
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    parameter.Value = ToDb(value);
                    command.Parameters.Add(parameter);
                });
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(ct);
            return;
        }

        foreach (var (text, bind) in statements)
        {
            await using var command = await CommandAsync(text, ct);
            bind((name, value) => Add(command, name, value));
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private object ToDb(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset instant when !Postgres => AdoBridgeDbContext.SqliteText(instant),
        DateTimeOffset instant => instant.ToUniversalTime(),
        _ => value,
    };

    public DateTimeOffset ReadInstant(DbDataReader reader, int ordinal)
        => Postgres ? reader.GetFieldValue<DateTimeOffset>(ordinal)
            : DateTimeOffset.Parse(reader.GetString(ordinal), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal);

    /// <summary>`x IN (…)` for a list of ids, one parameter each (both engines), named from <paramref name="prefix"/>.</summary>
    public string InList(DbCommand command, string prefix, IReadOnlyList<string> ids)
    {
        var names = new string[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            names[i] = $"@{prefix}{i}";
            Add(command, names[i], ids[i]);
        }

        return "(" + string.Join(", ", names) + ")";
    }
}
