using System.Net;
using AdoBridge.ConnectSessions;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.Storage;
using AdoBridge.Tokens;
using AdoBridge.Webhooks.Ingest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace AdoBridge.IntegrationTests.Operations;

/// <summary>/readyz runs the platform's health checks: database, schema, and each background worker's heartbeat.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task StalledWorker_MakesReadinessFailNamingIt_AndResumingMakesItReady()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await AdoBridgeServer.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        using var client = server.Client(apiKey: null);
        await ReadyAsync(client);

        // The refresher stops going round its loop; well past 3 intervals (10 s each) + 30 s, readiness names it.
        var refresher = server.Service<TokenRefresher>();
        await refresher.StopAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(2));

        var problem = await (await client.GetAsync("/readyz")).ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "worker_stalled");
        var failing = problem.GetProperty("checks").EnumerateArray().ToList();
        var stalled = failing.Single(c => c.GetProperty("name").GetString() == "token-refresher");
        stalled.GetProperty("code").GetString().ShouldBe("worker_stalled");
        stalled.GetProperty("detail").GetString()!.ShouldContain("token-refresher last went round its loop");
        failing.ShouldNotContain(c => c.GetProperty("name").GetString() == "database" || c.GetProperty("name").GetString() == "schema");
        (await client.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // It goes round again: ready.
        await refresher.StartAsync(CancellationToken.None);
        await ReadyAsync(client);
    }

    [Fact]
    public async Task StalledPeriodicWorker_IsNamedByReadiness()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await AdoBridgeServer.StartAsync(
            new Dictionary<string, string?> { ["AdoBridge:ConnectSessions:CleanupInterval"] = "00:00:10" },
            configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        using var client = server.Client(apiKey: null);
        await ReadyAsync(client);

        // Every loop built on PeriodicWorker beats its heartbeat; this one stops, and readiness names it.
        await server.Service<ConnectSessionCleanup>().StopAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(2));

        var problem = await (await client.GetAsync("/readyz")).ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "worker_stalled");
        var stalled = problem.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == ConnectSessionCleanup.WorkerName);
        stalled.GetProperty("detail").GetString()!.ShouldContain("connect-session-cleanup last went round its loop");
    }

    [Fact]
    public async Task StoppedIngestWriter_IsNamedByReadiness_WhileAnIdleOneIsNot()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await AdoBridgeServer.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        using var client = server.Client(apiKey: null);
        await ReadyAsync(client);

        // Idle for two minutes: the writer waits on its queue but beats while it waits.
        clock.Advance(TimeSpan.FromMinutes(2));
        await ReadyAsync(client);

        await server.Service<IngestWriter>().StopAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(2));

        var problem = await (await client.GetAsync("/readyz")).ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "worker_stalled");
        var stalled = problem.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == IngestWriter.WorkerName);
        stalled.GetProperty("detail").GetString()!.ShouldContain("ingest-writer last went round its loop");
    }

    [Fact]
    public async Task DisabledWorker_IsNotRequired()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await AdoBridgeServer.StartAsync(
            new Dictionary<string, string?> { ["Tokens:RefresherEnabled"] = "false" },
            configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        using var client = server.Client(apiKey: null);

        await server.Service<TokenRefresher>().StopAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(2));

        await ReadyAsync(client);
    }

    [Fact]
    public async Task SchemaBehind_MakesReadinessFailWithItsCodeAndThePendingMigration()
    {
        await using var server = await AdoBridgeServer.StartAsync();
        using var client = server.Client(apiKey: null);
        var latest = (await server.Service<SchemaMigrator>().GetStatusAsync()).LatestVersion;
        await using (var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlAsync($"DELETE FROM schema_migrations WHERE version = {latest}");
        }

        var problem = await (await client.GetAsync("/readyz")).ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "schema_not_current");
        problem.GetProperty("detail").GetString()!.ShouldContain($"version {latest - 1} of {latest}");
        problem.GetProperty("pending").GetArrayLength().ShouldBe(1);
        var check = problem.GetProperty("checks").EnumerateArray().Single();
        check.GetProperty("name").GetString().ShouldBe("schema");
        check.GetProperty("code").GetString().ShouldBe("schema_not_current");
    }

    /// <summary>Workers beat on their own schedule after a change, so readiness is awaited for a few seconds rather than read once.</summary>
    private static async Task ReadyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpResponseMessage response;
        while ((response = await client.GetAsync("/readyz")).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        (await response.ShouldBeJsonAsync()).GetProperty("status").GetString().ShouldBe("ready");
    }
}
