namespace AdoBridge.Storage;

/// <summary>Where AdoBridge keeps its data: an embedded SQLite file (default) or a shared PostgreSQL server.</summary>
internal sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>`sqlite` (default, a file under the data folder) or `postgres` (several instances share one server).</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>ADO.NET connection string. For SQLite it defaults to `Data Source={DataDir}/adobridge.db`; for PostgreSQL it is required.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply pending schema migrations at start-up (the `migrate` command applies them explicitly).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    internal StorageProvider ParsedProvider => Provider.Trim().ToLowerInvariant() switch
    {
        "sqlite" => StorageProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => StorageProvider.Postgres,
        _ => StorageProvider.Unknown,
    };
}

internal enum StorageProvider { Unknown, Sqlite, Postgres }
