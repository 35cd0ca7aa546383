using AdoBridge.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace AdoBridge.Storage;

internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .Validate(o => o.ParsedProvider != StorageProvider.Unknown,
                "Storage:Provider must be 'sqlite' or 'postgres' (set Storage__Provider=sqlite or Storage__Provider=postgres).")
            .Validate(o => o.ParsedProvider != StorageProvider.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Storage:ConnectionString is required for PostgreSQL (set Storage__ConnectionString=\"Host=…;Database=…;Username=…;Password=…\").")
            .ValidateOnStart();

        services.AddPooledDbContextFactory<AdoBridgeDbContext>((sp, builder) =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            // Capabilities above Storage contribute interceptors (Events wakes the dispatcher when events commit).
            builder.AddInterceptors(sp.GetServices<IInterceptor>());
            if (options.ParsedProvider == StorageProvider.Postgres)
            {
                builder.UseNpgsql(options.ConnectionString);
            }
            else
            {
                builder.UseSqlite(SqliteConnectionString(options, sp.GetRequiredService<DataDirectory>()))
                    .AddInterceptors(new SqlitePragmas(), new SqliteWriteGateInterceptor(sp.GetRequiredService<SqliteWriteGate>()));
            }
        });
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<SqliteWriteGate>();
        services.AddPeriodicWorker<SqliteCheckpointer>(SqliteCheckpointer.WorkerName);
        return services;
    }

    private static string SqliteConnectionString(StorageOptions options, DataDirectory data)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return options.ConnectionString;
        }

        // Created owner-only before SQLite opens it; SQLite gives the -wal and -shm files the same mode.
        var file = data.PrivateFile("adobridge.db");
        data.NarrowIfPresent("adobridge.db-wal");
        data.NarrowIfPresent("adobridge.db-shm");
        return new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Pooling = true,
        }.ToString();
    }
}
