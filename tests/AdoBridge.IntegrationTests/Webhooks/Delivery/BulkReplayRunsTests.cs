using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Storage;
using AdoBridge.Storage;
using AdoBridge.Webhooks.BulkReplay;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AdoBridge.IntegrationTests.Webhooks.Delivery;

/// <summary>
/// Bulk replay runs (/v1/bulk-replays) on both engines: the server works a run to the end on its own; a run resumes
/// after a restart and passes to another instance when its lease expires, never replaying a saved step again; one
/// instance at a time works a run; cancel stops it; another environment's key neither sees nor cancels it.
/// </summary>
public sealed class BulkReplayRunsTests
{
    private const string Type = "work_item.deleted";

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task Run_IsWorkedToTheEndByTheServer_DeliveringEachMatchingEventAgain(string engine)
    {
        await using var receiver = await ProductReceiver.StartAsync();
        await using var server = await WebhookServers.StartAsync(engine, new() { ["AdoBridge:Events:BulkReplay:StepSize"] = "3" });
        using var api = server.Client();
        await api.CreateEndpointAsync(receiver.Url("runs"), Type);
        var ids = await server.AddEventsAsync(7, Type);
        await server.AddEventsAsync(2, "work_item.restored");
        await receiver.WaitAsync("runs", r => r.Count >= 7);

        var dry = await (await api.PostAsJsonAsync("/v1/bulk-replays", new { type = Type, dryRun = true })).ShouldBeJsonAsync();
        dry.GetProperty("total").GetInt32().ShouldBe(7);
        dry.GetProperty("through").GetString().ShouldBe(ids.Max(StringComparer.Ordinal));
        (await api.GetFromJsonAsync<JsonElement>("/v1/bulk-replays")).GetProperty("items").GetArrayLength().ShouldBe(0);

        using var started = await api.PostAsJsonAsync("/v1/bulk-replays", new { type = Type });
        var run = await started.ShouldBeJsonAsync(HttpStatusCode.Accepted);
        var id = run.GetProperty("id").GetString()!;
        id.ShouldStartWith("brr_");
        started.Headers.Location!.ToString().ShouldBe($"/v1/bulk-replays/{id}");
        run.GetProperty("total").GetInt32().ShouldBe(7);
        run.GetProperty("through").GetString().ShouldBe(ids.Max(StringComparer.Ordinal));

        var finished = await WaitForStateAsync(api, id, BulkReplayStates.Finished);
        finished.GetProperty("done").GetInt32().ShouldBe(7);
        finished.GetProperty("total").GetInt32().ShouldBe(7);
        finished.GetProperty("cursor").GetString().ShouldBe(ids.Max(StringComparer.Ordinal));
        finished.GetProperty("filter").GetProperty("type").GetString().ShouldBe(Type);

        var receipts = await receiver.WaitAsync("runs", r => r.Count >= 14);
        receipts.GroupBy(r => r.WebhookId).ShouldAllBe(g => g.Count() == 2);

        // A run that matches nothing ends at once; the list is newest first.
        var empty = await (await api.PostAsJsonAsync("/v1/bulk-replays", new { type = "work_item.never" })).ShouldBeJsonAsync(HttpStatusCode.Accepted);
        empty.GetProperty("state").GetString().ShouldBe(BulkReplayStates.Finished);
        empty.GetProperty("total").GetInt32().ShouldBe(0);
        var list = await api.GetFromJsonAsync<JsonElement>("/v1/bulk-replays");
        list.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ShouldBe([empty.GetProperty("id").GetString(), id]);
        var page = await api.GetFromJsonAsync<JsonElement>("/v1/bulk-replays?limit=1");
        page.GetProperty("nextCursor").GetString().ShouldBe(empty.GetProperty("id").GetString());

        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.AuditLog.CountAsync(a => a.Action == BulkReplayRuns.StartedAction && a.Actor.StartsWith("api-key:"))).ShouldBe(2);
        (await db.AuditLog.CountAsync(a => a.Action == BulkReplayRuns.FinishedAction)).ShouldBe(2);

        // Bad input.
        await (await api.PostAsJsonAsync("/v1/bulk-replays", new { status = "lost" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_filter");
        await (await api.PostAsJsonAsync("/v1/bulk-replays", new { search = new string('x', 201) })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_filter");
        await (await api.GetAsync("/v1/bulk-replays?limit=0")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_filter");
        await (await api.GetAsync("/v1/bulk-replays/brr_nope")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "bulk_replay_not_found");
        await (await api.PostAsync("/v1/bulk-replays/brr_nope/cancel", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "bulk_replay_not_found");
    }

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task Run_ResumesAfterARestart_AndPassesToAnotherInstanceWhenItsLeaseExpires(string engine)
    {
        var settings = await ManualSettingsAsync(engine);
        var dataDir = AdoBridgeServer.NewDataDir();
        IReadOnlyList<string> ids;
        string id;
        await using (var first = await StartAsync(settings, dataDir, new FakeTimeProvider(DateTimeOffset.UtcNow)))
        {
            ids = await first.AddEventsAsync(10, Type);
            using var api = first.Client();
            id = (await (await api.PostAsJsonAsync("/v1/bulk-replays", new { type = Type })).ShouldBeJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString()!;
            (await first.Service<BulkReplayWorker>().StepAsync(CancellationToken.None)).ShouldBe(BulkReplayStepOutcome.Stepped);
            (await RunAsync(first, id)).Done.ShouldBe(4);
            (await ReplaysAsync(first, ids)).ShouldBe(4);
        }

        // Restarted (the first stopped gracefully and handed the run back): it goes on after the saved cursor.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var second = await StartAsync(settings, dataDir, clock);
        var worker = second.Service<BulkReplayWorker>();
        (await worker.StepAsync(CancellationToken.None)).ShouldBe(BulkReplayStepOutcome.Stepped);
        (await RunAsync(second, id)).Done.ShouldBe(8);
        (await ReplaysAsync(second, ids)).ShouldBe(8);

        // An instance that died holding the lease: nobody else works the run until the lease runs out.
        await using (var db = await second.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync())
        {
            var until = clock.GetUtcNow().AddMinutes(1);
            await db.BulkReplayRuns.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseOwner, "dead-instance").SetProperty(r => r.LeaseUntil, until));
        }

        (await worker.StepAsync(CancellationToken.None)).ShouldBe(BulkReplayStepOutcome.Idle);
        (await ReplaysAsync(second, ids)).ShouldBe(8);
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        (await worker.StepAsync(CancellationToken.None)).ShouldBe(BulkReplayStepOutcome.Ended);
        var done = await RunAsync(second, id);
        (done.State, done.Done, done.Total, done.LeaseOwner).ShouldBe((BulkReplayStates.Finished, 10, 10, (string?)null));
        (await ReplaysAsync(second, ids)).ShouldBe(10);
        (await worker.StepAsync(CancellationToken.None)).ShouldBe(BulkReplayStepOutcome.Idle);

        await using var audit = await second.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await audit.AuditLog.CountAsync(a => a.Action == BulkReplayRuns.FinishedAction)).ShouldBe(1);
    }

    [Fact]
    public async Task TwoInstances_OnOnePostgres_WorkARunOneAtATime()
    {
        var settings = await ManualSettingsAsync(StorageEngine.Postgres);
        var clockA = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var clockB = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // One data folder: both instances need the same master key, as every instance of one deployment has.
        var dataDir = AdoBridgeServer.NewDataDir();
        await using var a = await StartAsync(settings, dataDir, clockA);
        await using var b = await StartAsync(settings, dataDir, clockB);
        var ids = await a.AddEventsAsync(10, Type);
        using var api = b.Client();
        var id = (await (await api.PostAsJsonAsync("/v1/bulk-replays", new { type = Type })).ShouldBeJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString()!;
        var workerA = a.Service<BulkReplayWorker>();
        var workerB = b.Service<BulkReplayWorker>();

        // Both reach for the run at once: exactly one gets it.
        var outcomes = await Task.WhenAll(workerA.StepAsync(CancellationToken.None), workerB.StepAsync(CancellationToken.None));
        outcomes.Order().ShouldBe([BulkReplayStepOutcome.Idle, BulkReplayStepOutcome.Stepped]);
        var (holder, other, otherClock) = outcomes[0] == BulkReplayStepOutcome.Stepped ? (workerA, workerB, clockB) : (workerB, workerA, clockA);
        (await other.StepAsync(CancellationToken.None)).ShouldBe(BulkReplayStepOutcome.Idle);
        (await holder.StepAsync(CancellationToken.None)).ShouldBe(BulkReplayStepOutcome.Stepped);
        (await other.StepAsync(CancellationToken.None)).ShouldBe(BulkReplayStepOutcome.Idle);
        (await ReplaysAsync(a, ids)).ShouldBe(8);

        // The holder stops answering: after its lease the other takes over, and the holder cannot take it back.
        otherClock.Advance(TimeSpan.FromMinutes(2));
        (await other.StepAsync(CancellationToken.None)).ShouldBe(BulkReplayStepOutcome.Ended);
        (await holder.StepAsync(CancellationToken.None)).ShouldBe(BulkReplayStepOutcome.Idle);
        (await RunAsync(a, id)).Done.ShouldBe(10);
        (await ReplaysAsync(a, ids)).ShouldBe(10);
    }

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task Cancel_StopsTheRun_AndAnotherEnvironmentsKeyCannotSeeOrCancelIt(string engine)
    {
        await using var server = await StartAsync(await ManualSettingsAsync(engine), AdoBridgeServer.NewDataDir(), new FakeTimeProvider(DateTimeOffset.UtcNow));
        var ids = await server.AddEventsAsync(10, Type);
        using var api = server.Client();
        var id = (await (await api.PostAsJsonAsync("/v1/bulk-replays", new { type = Type })).ShouldBeJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString()!;
        var worker = server.Service<BulkReplayWorker>();
        (await worker.StepAsync(CancellationToken.None)).ShouldBe(BulkReplayStepOutcome.Stepped);

        var created = await (await api.PostAsJsonAsync("/v1/admin/api-keys", new { name = "other environment", environment = "production", role = "product" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        using var stranger = server.Client(created.GetProperty("key").GetString());
        await (await stranger.GetAsync($"/v1/bulk-replays/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "bulk_replay_not_found");
        await (await stranger.PostAsync($"/v1/bulk-replays/{id}/cancel", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "bulk_replay_not_found");
        (await stranger.GetFromJsonAsync<JsonElement>("/v1/bulk-replays")).GetProperty("items").GetArrayLength().ShouldBe(0);
        (await RunAsync(server, id)).State.ShouldBe(BulkReplayStates.Running);

        var cancelled = await (await api.PostAsync($"/v1/bulk-replays/{id}/cancel", null)).ShouldBeJsonAsync();
        (cancelled.GetProperty("state").GetString(), cancelled.GetProperty("done").GetInt32(), cancelled.GetProperty("total").GetInt32()).ShouldBe((BulkReplayStates.Cancelled, 4, 10));
        (await worker.StepAsync(CancellationToken.None)).ShouldBe(BulkReplayStepOutcome.Idle);
        (await ReplaysAsync(server, ids)).ShouldBe(4);

        // Cancelling again answers the run as it is, and is not audited twice.
        (await (await api.PostAsync($"/v1/bulk-replays/{id}/cancel", null)).ShouldBeJsonAsync()).GetProperty("state").GetString().ShouldBe(BulkReplayStates.Cancelled);
        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.AuditLog.CountAsync(a => a.Action == BulkReplayRuns.CancelledAction)).ShouldBe(1);
        (await db.AuditLog.CountAsync(a => a.Action == BulkReplayRuns.FinishedAction)).ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task Run_WaitsWhileTooManyDeliveriesArePending_AndGoesOnOnceTheyDrain(string engine)
    {
        var settings = await ManualSettingsAsync(engine);
        settings["AdoBridge:Events:BulkReplay:MaxPendingDeliveries"] = "5";
        await using var server = await StartAsync(settings, AdoBridgeServer.NewDataDir(), new FakeTimeProvider(DateTimeOffset.UtcNow));
        using var api = server.Client();
        // An endpoint nobody answers on: its deliveries fail and wait for their retry, pending.
        await api.CreateEndpointAsync(new Uri("http://127.0.0.1:9/hooks"), Type);
        var ids = await server.AddEventsAsync(10, Type);
        var contexts = server.Service<IDbContextFactory<AdoBridgeDbContext>>();
        await WaitUntilAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync();
            // The stopped clock keeps them waiting to be sent (the sender's rate limit and retries run on it).
            return await db.Deliveries.CountAsync(d => d.Status == "pending") >= 10;
        });

        var id = (await (await api.PostAsJsonAsync("/v1/bulk-replays", new { type = Type })).ShouldBeJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString()!;
        var worker = server.Service<BulkReplayWorker>();
        (await worker.StepAsync(CancellationToken.None)).ShouldBe(BulkReplayStepOutcome.Paced);
        (await worker.StepAsync(CancellationToken.None)).ShouldBe(BulkReplayStepOutcome.Paced);
        (await RunAsync(server, id)).Done.ShouldBe(0);
        (await ReplaysAsync(server, ids)).ShouldBe(0);

        // The backlog drains (here: the deliveries give up), and the run goes on.
        await using (var db = await contexts.CreateDbContextAsync())
        {
            await db.Deliveries.ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, "dead"));
        }

        (await worker.StepAsync(CancellationToken.None)).ShouldBe(BulkReplayStepOutcome.Stepped);
        (await RunAsync(server, id)).Done.ShouldBe(4);
        // Its own step's deliveries (4) are below the bound; the next step's would not be.
        (await worker.StepAsync(CancellationToken.None)).ShouldBe(BulkReplayStepOutcome.Stepped);
        (await worker.StepAsync(CancellationToken.None)).ShouldBe(BulkReplayStepOutcome.Paced);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the condition did not come true in time");
            await Task.Delay(100);
        }
    }

    /// <summary>The worker switched off, so the test takes each step itself; steps of 4 events.</summary>
    private static async Task<Dictionary<string, string?>> ManualSettingsAsync(string engine)
    {
        var settings = await StorageEngine.SettingsAsync(engine);
        settings["AdoBridge:Events:BulkReplay:Enabled"] = "false";
        settings["AdoBridge:Events:BulkReplay:StepSize"] = "4";
        return WebhookServers.FastDelivery(settings);
    }

    private static Task<AdoBridgeServer> StartAsync(Dictionary<string, string?> settings, string dataDir, FakeTimeProvider clock)
        => AdoBridgeServer.StartAsync(settings, dataDir, b => b.Services.AddSingleton<TimeProvider>(clock));

    private static async Task<JsonElement> WaitForStateAsync(HttpClient api, string id, string state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = await api.GetFromJsonAsync<JsonElement>($"/v1/bulk-replays/{id}");
            if (run.GetProperty("state").GetString() == state || DateTime.UtcNow > deadline)
            {
                run.GetProperty("state").GetString().ShouldBe(state);
                return run;
            }

            await Task.Delay(100);
        }
    }

    private static async Task<BulkReplayRunEntity> RunAsync(AdoBridgeServer server, string id)
    {
        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        return await db.BulkReplayRuns.AsNoTracking().SingleAsync(r => r.Id == id);
    }

    private static async Task<int> ReplaysAsync(AdoBridgeServer server, IReadOnlyList<string> ids)
    {
        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        return await db.EventReplays.CountAsync(r => ids.Contains(r.EventId));
    }
}
