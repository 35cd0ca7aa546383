using Npgsql;

namespace AdoBridge.IntegrationTests.Infrastructure;

/// <summary>
/// The PostgreSQL server that the README's test command starts (`ADOBRIDGE_TEST_POSTGRES` holds its connection string).
/// Each caller gets a fresh database. Without the server the PostgreSQL tests fail, on purpose: they are never skipped.
/// </summary>
public static class Postgres
{
    public const string Variable = "ADOBRIDGE_TEST_POSTGRES";

    public static string ServerConnectionString
        => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{Variable} is not set: run the tests with ./test.sh, which starts a private PostgreSQL server.");

    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "adobridge_t" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(ServerConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;
    }
}
