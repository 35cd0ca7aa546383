using System.Data.Common;
using System.Net;
using AdoBridge.ApiKeys;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.Operations;
using AdoBridge.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AdoBridge.IntegrationTests.Storage;

public sealed class MigrationTests
{
    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task Upgrade_FromVersionOneWithData_KeepsEverything(string engine)
    {
        var settings = await StorageEngine.SettingsAsync(engine);
        var dataDir = AdoBridgeServer.NewDataDir();
        var key = "adbk_" + "upgradetest1" + "_" + new string('k', 43);

        // A database left at schema version 1 by an earlier AdoBridge, holding an environment and a key.
        await using (var old = AdoBridgeApp.Build(Args(settings, dataDir), null))
        {
            (await old.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(targetVersion: 1)).ShouldBe([1]);
            await using var db = await old.Services.GetRequiredService<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            await ExecAsync(connection, engine, "INSERT INTO environments (id, name, created_at) VALUES ('staging', 'Staging', @t)");
            await ExecAsync(connection, engine, "INSERT INTO api_keys (id, environment_id, name, role, hash, created_at) VALUES ('upgradetest1', 'staging', 'old key', 'admin', @h, @t)",
                ApiKeyFormat.Hash(key));
            (await old.Services.GetRequiredService<SchemaMigrator>().GetStatusAsync()).Pending.Count.ShouldBeGreaterThan(0);
        }

        // The current AdoBridge starts on it, migrates, and the old key still works against the upgraded schema.
        settings.Remove("ADOBRIDGE_BOOTSTRAP_API_KEY");
        await using var server = await AdoBridgeServer.StartAsync(settings, dataDir);
        var status = await server.Service<SchemaMigrator>().GetStatusAsync();
        status.IsCurrent.ShouldBeTrue();
        using var client = server.Client(key);
        var environments = await client.GetStringAsync("/v1/admin/environments");
        environments.ShouldContain("\"staging\"");
        var keys = await client.GetStringAsync("/v1/admin/api-keys");
        keys.ShouldContain("old key");
        (await (await client.GetAsync("/readyz")).ShouldBeJsonAsync()).GetProperty("schemaVersion").GetInt32().ShouldBe(status.LatestVersion);
    }

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task Migrate_RunTwice_IsANoOp(string engine)
    {
        var settings = await StorageEngine.SettingsAsync(engine);
        await using var app = AdoBridgeApp.Build(Args(settings, AdoBridgeServer.NewDataDir()), null);
        var migrator = app.Services.GetRequiredService<SchemaMigrator>();

        var first = await migrator.MigrateAsync();
        var second = await migrator.MigrateAsync();

        first.Count.ShouldBe(SchemaMigrator.Load(engine == StorageEngine.Postgres ? StorageProvider.Postgres : StorageProvider.Sqlite).Count);
        second.ShouldBeEmpty();
    }

    [Fact]
    public async Task Migrate_TwoInstancesAtOnceOnPostgres_ApplyEachStepOnce()
    {
        var settings = await StorageEngine.SettingsAsync(StorageEngine.Postgres);
        await using var a = AdoBridgeApp.Build(Args(settings, AdoBridgeServer.NewDataDir()), null);
        await using var b = AdoBridgeApp.Build(Args(settings, AdoBridgeServer.NewDataDir()), null);

        var results = await Task.WhenAll(
            a.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(),
            b.Services.GetRequiredService<SchemaMigrator>().MigrateAsync());

        results.SelectMany(r => r).Order().ShouldBe(SchemaMigrator.Load(StorageProvider.Postgres).Select(m => m.Version));
    }

    [Fact]
    public async Task Start_SchemaBehindWithMigrationOff_RefusesNamingTheCommand()
    {
        var settings = new Dictionary<string, string?> { ["Storage:MigrateOnStartup"] = "false" };
        var dataDir = AdoBridgeServer.NewDataDir();

        var error = await Should.ThrowAsync<StartupException>(() => AdoBridgeServer.StartAsync(settings, dataDir));

        error.Message.ShouldContain("adobridge migrate");
    }

    [Fact]
    public void Migrations_ExistForBothEnginesWithTheSameSteps()
    {
        var sqlite = SchemaMigrator.Load(StorageProvider.Sqlite).Select(m => (m.Version, m.Name));
        var postgres = SchemaMigrator.Load(StorageProvider.Postgres).Select(m => (m.Version, m.Name));
        sqlite.ShouldBe(postgres);
    }

    internal static string[] Args(IDictionary<string, string?> settings, string dataDir)
        => settings.Append(new("ADOBRIDGE_DATA_DIR", dataDir)).Append(new("Logging:LogLevel:Default", "Warning"))
            .Where(kv => kv.Value is not null).Select(kv => $"--{kv.Key}={kv.Value}").ToArray();

    private static async Task ExecAsync(DbConnection connection, string engine, string sql, byte[]? hash = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var t = command.CreateParameter();
        t.ParameterName = "@t";
        t.Value = engine == StorageEngine.Postgres ? DateTimeOffset.UtcNow : DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'");
        command.Parameters.Add(t);
        if (hash is not null)
        {
            var h = command.CreateParameter();
            h.ParameterName = "@h";
            h.Value = hash;
            command.Parameters.Add(h);
        }

        await command.ExecuteNonQueryAsync();
    }
}
