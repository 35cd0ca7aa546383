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
        parameter.Value = value switch
        {
            null => DBNull.Value,
            DateTimeOffset instant when !Postgres => AdoBridgeDbContext.SqliteText(instant),
            DateTimeOffset instant => instant.ToUniversalTime(),
            _ => value,
        };
        command.Parameters.Add(parameter);
    }

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
