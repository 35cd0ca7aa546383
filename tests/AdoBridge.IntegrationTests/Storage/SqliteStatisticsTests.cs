using AdoBridge.AzureDevOps;
using AdoBridge.Connections;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace AdoBridge.IntegrationTests.Storage;

/// <summary>
/// SQLite's planner statistics are kept by AdoBridge itself (PostgreSQL's autovacuum keeps its own): the hourly pass
/// analyses each indexed table, so a table that has grown gets its rows counted in sqlite_stat1.
/// </summary>
public sealed class SqliteStatisticsTests
{
    [Fact]
    public async Task EachHour_TablesThatHaveRows_GetTheirPlannerStatistics()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await AdoBridgeServer.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        var connections = server.Service<ConnectionService>();
        for (var i = 0; i < 30; i++)
        {
            await connections.SaveAsync(new NewConnection("sandbox", $"stats-user-{i}", null, "sandbox", AuthTypes.Pat, ["fabrikam"], null, new DevOpsProfile($"id-{i}", $"User {i}", null),
                null, null, new TokenResult("pat-value", null, null, null), null), CancellationToken.None);
        }

        clock.Advance(TimeSpan.FromHours(1));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        long? counted;
        while ((counted = await ConnectionRowsCountedAsync(server)) is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        counted.ShouldNotBeNull("the hourly pass analysed the connections table");
        counted.Value.ShouldBeGreaterThanOrEqualTo(30);
    }

    /// <summary>The row count sqlite_stat1 holds for the connections table's primary key, or null when none.</summary>
    private static async Task<long?> ConnectionRowsCountedAsync(AdoBridgeServer server)
    {
        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'";
        if ((long)(await command.ExecuteScalarAsync())! == 0)
        {
            return null;
        }

        command.CommandText = "SELECT stat FROM sqlite_stat1 WHERE tbl = 'connections' AND idx = 'ix_connections_environment'";
        return await command.ExecuteScalarAsync() is string stat ? long.Parse(stat.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
