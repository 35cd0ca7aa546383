using System.Data.Common;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.Operations;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace AdoBridge.IntegrationTests.Storage;

/// <summary>
/// The EF model and the SQL migrations are written by hand, separately, per engine. A property added to an entity
/// without its migration (or a column renamed, or made optional, in one engine only) builds and starts, and fails only
/// when that code path first runs; this test makes it fail here, naming the table and column.
/// </summary>
public sealed class SchemaDriftTests
{
    private sealed record DbColumn(string Name, bool Nullable, bool HasDefault);

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task Model_MatchesTheMigratedSchema(string engine)
    {
        var settings = await StorageEngine.SettingsAsync(engine);
        await using var app = AdoBridgeApp.Build(MigrationTests.Args(settings, AdoBridgeServer.NewDataDir()), null);
        (await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync()).ShouldNotBeEmpty();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();

        var differences = new List<string>();
        var entityTypes = db.Model.GetEntityTypes().ToList();
        entityTypes.ShouldNotBeEmpty();
        foreach (var entity in entityTypes)
        {
            var table = entity.GetTableName().ShouldNotBeNull($"{entity.DisplayName()} maps to no table");
            var columns = await ColumnsAsync(connection, engine, table);
            if (columns.Count == 0)
            {
                differences.Add($"{entity.DisplayName()}: table '{table}' does not exist in the migrated {engine} schema");
                continue;
            }

            var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
            foreach (var property in entity.GetProperties())
            {
                var name = property.GetColumnName(store);
                if (name is null)
                {
                    continue;
                }

                if (!columns.TryGetValue(name, out var column))
                {
                    differences.Add($"{table}.{name} ({entity.DisplayName()}.{property.Name}): no such column in the migrated {engine} schema");
                }
                else if (column.Nullable != property.IsColumnNullable(store))
                {
                    differences.Add($"{table}.{name} ({entity.DisplayName()}.{property.Name}): the model says {(property.IsColumnNullable(store) ? "nullable" : "NOT NULL")}, the {engine} schema {(column.Nullable ? "nullable" : "NOT NULL")}");
                }
            }

            // A column the model does not know is harmless only if inserts can leave it out.
            var mapped = entity.GetProperties().Select(p => p.GetColumnName(store)).ToHashSet(StringComparer.Ordinal);
            foreach (var extra in columns.Values.Where(c => !mapped.Contains(c.Name) && !c.Nullable && !c.HasDefault))
            {
                differences.Add($"{table}.{extra.Name}: NOT NULL without a default in the {engine} schema, but not in the model ({entity.DisplayName()}), so EF's inserts fail");
            }
        }

        differences.ShouldBeEmpty($"The EF model and the {engine} migrations disagree:\n" + string.Join('\n', differences));
    }

    private static async Task<Dictionary<string, DbColumn>> ColumnsAsync(DbConnection connection, string engine, string table)
    {
        await using var command = connection.CreateCommand();
        if (engine == StorageEngine.Postgres)
        {
            command.CommandText = "SELECT column_name, is_nullable = 'YES', column_default IS NOT NULL FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table";
        }
        else
        {
            // SQLite lets a non-INTEGER primary key column hold NULL unless declared NOT NULL; EF never writes one, so a
            // key column counts as NOT NULL.
            command.CommandText = "SELECT name, \"notnull\" = 0 AND pk = 0, dflt_value IS NOT NULL FROM pragma_table_info(@table)";
        }

        var parameter = command.CreateParameter();
        parameter.ParameterName = "@table";
        parameter.Value = table;
        command.Parameters.Add(parameter);
        var columns = new Dictionary<string, DbColumn>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns[reader.GetString(0)] = new DbColumn(reader.GetString(0), Flag(reader.GetValue(1)), Flag(reader.GetValue(2)));
        }

        return columns;
    }

    // SQLite answers a comparison with an integer, PostgreSQL with a boolean.
    private static bool Flag(object value) => Convert.ToBoolean(value, System.Globalization.CultureInfo.InvariantCulture);
}
