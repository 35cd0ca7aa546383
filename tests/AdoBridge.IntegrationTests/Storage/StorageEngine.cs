using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Storage;

/// <summary>The two storage engines every storage test runs against.</summary>
public static class StorageEngine
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static TheoryData<string> Both => new() { Sqlite, Postgres };

    /// <summary>Settings for a server on a fresh database of the engine.</summary>
    public static async Task<Dictionary<string, string?>> SettingsAsync(string engine)
        => engine == Postgres
            ? new() { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = await Infrastructure.Postgres.CreateDatabaseAsync() }
            : new() { ["Storage:Provider"] = "sqlite" };
}
