using System.Data.Common;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Storage;

/// <summary>One versioned SQL script per engine and step, embedded in the assembly.</summary>
internal sealed record SchemaMigration(int Version, string Name, string Sql);

/// <summary>Where a database stands against the migrations this build carries.</summary>
internal sealed record SchemaStatus(int CurrentVersion, int LatestVersion, IReadOnlyList<string> Pending)
{
    public bool IsCurrent => CurrentVersion == LatestVersion;
}

/// <summary>
/// Applies the embedded SQL migrations in order, each in its own transaction, recording them in `schema_migrations`.
/// Several instances may start at once against one PostgreSQL: an advisory lock lets one migrate while the others wait.
/// </summary>
internal sealed partial class SchemaMigrator(IDbContextFactory<AdoBridgeDbContext> contexts, TimeProvider clock, ILogger<SchemaMigrator> logger)
{
    private const long PostgresLockKey = 0x41_64_6F_42_72_69_64; // "AdoBrid"

    public static IReadOnlyList<SchemaMigration> Load(StorageProvider provider)
    {
        var folder = provider == StorageProvider.Postgres ? "postgres" : "sqlite";
        var assembly = typeof(SchemaMigrator).Assembly;
        var migrations = new List<SchemaMigration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success || match.Groups["engine"].Value != folder)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new SchemaMigration(
                int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migration versions must run 1, 2, 3… without gaps; found {migrations[i].Version} at position {i + 1}.");
            }
        }

        return migrations;
    }

    public async Task<SchemaStatus> GetStatusAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var provider = ProviderOf(db);
        var all = Load(provider);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        var current = await CurrentVersionAsync(connection, null, provider, ct);
        return new SchemaStatus(current, all.Count, all.Where(m => m.Version > current).Select(m => $"{m.Version:D4}_{m.Name}").ToList());
    }

    /// <summary>Brings the schema up to <paramref name="targetVersion"/> (default: the latest). Returns the versions applied.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(int? targetVersion = null, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var provider = ProviderOf(db);
        var all = Load(provider);
        var target = targetVersion ?? all.Count;
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);

        if (provider == StorageProvider.Sqlite)
        {
            // WAL lets readers run beside the writer; it is a property of the file, so set it once here.
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", ct);
        }
        else
        {
            // Held for the whole run, from before the bookkeeping table exists: concurrent CREATE TABLE IF NOT EXISTS races in PostgreSQL.
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({PostgresLockKey});", ct);
        }

        try
        {
            return await ApplyAsync(connection, provider, all, target, progress, ct);
        }
        finally
        {
            if (provider == StorageProvider.Postgres)
            {
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({PostgresLockKey});", CancellationToken.None);
            }
        }
    }

    private async Task<IReadOnlyList<int>> ApplyAsync(DbConnection connection, StorageProvider provider, IReadOnlyList<SchemaMigration> all, int target, IProgress<string>? progress, CancellationToken ct)
    {

        await ExecuteAsync(connection, null, provider == StorageProvider.Postgres
            ? "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL);"
            : "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);", ct);

        var applied = new List<int>();
        foreach (var migration in all.Where(m => m.Version <= target))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);

            // Read the version under the lock: another instance may have applied this step meanwhile.
            var current = await CurrentVersionAsync(connection, tx, provider, ct);
            if (migration.Version <= current)
            {
                await tx.RollbackAsync(ct);
                continue;
            }

            await ExecuteAsync(connection, tx, migration.Sql, ct);
            await using (var record = connection.CreateCommand())
            {
                record.Transaction = tx;
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t);";
                AddParameter(record, "@v", migration.Version);
                AddParameter(record, "@n", migration.Name);
                AddParameter(record, "@t", provider == StorageProvider.Postgres
                    ? clock.GetUtcNow()
                    : AdoBridgeDbContext.SqliteText(clock.GetUtcNow()));
                await record.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
            applied.Add(migration.Version);
            progress?.Report($"{migration.Version:D4}_{migration.Name}");
            LogApplied(logger, migration.Version, migration.Name);
        }

        return applied;
    }

    internal static StorageProvider ProviderOf(DbContext db)
        => db.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true ? StorageProvider.Postgres : StorageProvider.Sqlite;
[System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "The statement is a migration script shipped inside AdoBridge or constant text.")]

    private static async Task<int> CurrentVersionAsync(DbConnection connection, DbTransaction? tx, StorageProvider provider, CancellationToken ct)
    {
        await using var exists = connection.CreateCommand();
        exists.Transaction = tx;
        exists.CommandText = provider == StorageProvider.Postgres
            ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations';"
            : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations';";
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }
[System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "The statement is a migration script shipped inside AdoBridge or constant text.")]

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    [GeneratedRegex(@"^migrations/(?<engine>sqlite|postgres)/(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex ResourceName();

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Applied schema migration {Version} ({Name})")]
    private static partial void LogApplied(ILogger logger, int version, string name);
}
