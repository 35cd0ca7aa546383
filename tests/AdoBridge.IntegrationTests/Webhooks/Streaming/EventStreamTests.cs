using System.Net;
using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Storage;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.IntegrationTests.Webhooks.Streaming;

/// <summary>One sandbox server on SQLite with a 1 s heartbeat, shared by the stream tests that need no engine of their own.</summary>
public sealed class StreamServerFixture : IAsyncLifetime
{
    public AdoBridgeServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await WebhookServers.StartAsync(settings: new() { ["AdoBridge:EventStream:HeartbeatInterval"] = "00:00:01" });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>GET /v1/events/stream: resumable without loss or repeat, filtered, isolated per environment, protected, documented.</summary>
public sealed class EventStreamTests(StreamServerFixture fixture) : IClassFixture<StreamServerFixture>
{
    private AdoBridgeServer Server => fixture.Server;

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task ResumeWithLastEventId_GetsWhatWasMissed_OnceEach_InCommitOrder(string engine)
    {
        await using var server = await WebhookServers.StartAsync(engine);
        string stoppedAt;
        List<string> first;
        await using (var stream = await SseConnection.OpenAsync(server))
        {
            first = await server.AddManyAsync(5);
            var seen = new List<SseEntry>();
            for (var i = 0; i < 2; i++)
            {
                seen.Add(await stream.NextEntryAsync());
            }

            seen.Select(e => e.Json.GetProperty("id").GetString()).ShouldBe(first.Take(2));
            seen.ShouldAllBe(e => e.Type == "message");
            long.Parse(seen[1].Id!).ShouldBeGreaterThan(long.Parse(seen[0].Id!));
            stoppedAt = seen[1].Id!;
        }

        // Disconnected after the second: three stored since it read, and three more while away.
        var second = await server.AddManyAsync(3);
        await using var resumed = await SseConnection.OpenAsync(server, lastEventId: stoppedAt);
        resumed.Start.ShouldBe(stoppedAt);
        var expected = first.Skip(2).Concat(second).ToList();
        var got = new List<string>();
        foreach (var _ in expected)
        {
            got.Add((await resumed.NextEntryAsync()).Json.GetProperty("id").GetString()!);
        }

        got.ShouldBe(expected);
        // Nothing repeats after them: the next entry is the next new event.
        var next = await server.AddAsync("connection.created");
        (await resumed.NextEntryAsync()).Json.GetProperty("id").GetString().ShouldBe(next);
    }

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task AfterAnEventNotYetNumbered_StartsAfterIt_NotA400(string engine)
    {
        // The sequencer polls once a minute here, so nothing numbers an event behind the test's back but a commit's signal.
        await using var server = await WebhookServers.StartAsync(engine, new() { ["AdoBridge:EventStream:PollInterval"] = "00:01:00" });
        var before = await server.AddAsync("pull_request.created");
        var id = await server.AddAsync("pull_request.updated");
        if (engine == StorageEngine.Postgres)
        {
            // On PostgreSQL an event commits unnumbered and is numbered just after: hold it in that moment (on SQLite a
            // trigger numbers it inside its own transaction, so there is no such moment).
            await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
            await WaitUntilNumberedAsync(db, id);
            (await db.Database.ExecuteSqlAsync($"UPDATE events SET seq = NULL WHERE id = {id}")).ShouldBe(1);
        }

        await using var stream = await SseConnection.OpenAsync(server, $"?after={id}");
        var next = await server.AddAsync("connection.created");
        (await stream.NextEntryAsync()).Json.GetProperty("id").GetString().ShouldBe(next);
        await using var fromBefore = await SseConnection.OpenAsync(server, $"?after={before}");
        (await fromBefore.NextEntryAsync()).Json.GetProperty("id").GetString().ShouldBe(id);
    }

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task IngestedAndOtherEvents_TakeEveryPositionOnce_InCommitOrder_AndADuplicateTakesNone(string engine)
    {
        await using var server = await WebhookServers.StartAsync(engine, new() { ["AdoBridge:ServiceHooks:HealthCheckInterval"] = "00:00:00" });
        var connectionId = await server.ConnectWithMicrosoftAsync("stream-positions");
        using var api = server.Client();
        var subscription = await (await api.PostAsJsonAsync($"/v1/connections/{connectionId}/subscriptions",
            new { organization = "fabrikam", project = "Fabrikam-Fiber-Git", events = new[] { "git.pullrequest.created" } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var projectId = ServiceHooksFixture.ProjectIdOf(subscription);
        var (url, secret) = await ServiceHooksFixture.IngestOfAsync(server, subscription.GetProperty("hooks")[0]);
        await using var stream = await SseConnection.OpenAsync(server);

        // Forty notifications at once, each sent twice (as Azure DevOps retries), so batches hold duplicates, while
        // other events are stored beside them by another writer.
        var eventIds = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid().ToString()).ToList();
        using var azureDevOps = new HttpClient();
        var sends = eventIds.Concat(eventIds).Select(async id =>
        {
            var body = SandboxPayloads.Retarget(SandboxPayloads.Sample("git.pullrequest.created.json"), projectId, id).ToJsonString();
            using var response = await azureDevOps.SendAsync(SandboxPayloads.Post(url, body, secret));
            return response.StatusCode;
        }).ToList();
        var others = await server.AddManyAsync(5, "connection.updated");
        (await Task.WhenAll(sends)).ShouldAllBe(status => status == HttpStatusCode.OK);

        var entries = new List<SseEntry>();
        for (var i = 0; i < eventIds.Count + others.Count; i++)
        {
            entries.Add(await stream.NextEntryAsync());
        }

        var positions = entries.Select(e => long.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        positions.ShouldBe(positions.Order().ToList(), "the stream gives events in the order of their positions");
        entries.Select(e => e.Json.GetProperty("id").GetString()).Distinct().Count().ShouldBe(eventIds.Count + others.Count, "each event once");
        others.ShouldBeSubsetOf(entries.Select(e => e.Json.GetProperty("id").GetString()!));

        // Every position up to the counter is taken by exactly one event: none skipped (a duplicate's given back), none twice.
        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        var taken = await db.Events.AsNoTracking().Where(e => e.Seq != null).Select(e => e.Seq!.Value).ToListAsync();
        taken.Count.ShouldBe(await db.Events.CountAsync(), "every event has its position");
        taken.Order().ShouldBe(Enumerable.Range(1, taken.Count).Select(n => (long)n));
    }

    private static async Task WaitUntilNumberedAsync(AdoBridgeDbContext db, string id)
    {
        for (var i = 0; i < 300 && await db.Events.AsNoTracking().Where(e => e.Id == id).Select(e => e.Seq).SingleAsync() is null; i++)
        {
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task CursorInTheQuery_StartsThere_AndTheEntryDataIsTheEventLogsEvent()
    {
        var ids = await Server.AddManyAsync(2, "work_item.updated");
        await using var afterEvent = await SseConnection.OpenAsync(Server, $"?after={ids[0]}");
        var entry = await afterEvent.NextEntryAsync();
        entry.Json.GetProperty("id").GetString().ShouldBe(ids[1]);
        await using var fromCursor = await SseConnection.OpenAsync(Server, $"?cursor={afterEvent.Start}");
        (await fromCursor.NextEntryAsync()).Id.ShouldBe(entry.Id);

        var listed = await (await Server.Client().GetAsync($"/v1/events?cursor={ids[0]}&limit=1")).ShouldBeJsonAsync();
        var item = listed.GetProperty("items")[0];
        item.EnumerateObject().Select(p => p.Name).ShouldBe(entry.Json.EnumerateObject().Select(p => p.Name));
        foreach (var property in item.EnumerateObject().Where(p => p.Name is not ("status" or "dispatchedAt")))
        {
            // Status and dispatchedAt may move on between the two reads (dispatch runs meanwhile); every other field is the same.
            entry.Json.GetProperty(property.Name).ToString().ShouldBe(property.Value.ToString(), property.Name);
        }
    }

    [Fact]
    public async Task Filters_TypesWithWildcardAndConnection_LeaveTheRestOut()
    {
        await using var stream = await SseConnection.OpenAsync(Server, "?types=pull_request.*,connection.deleted&connection=conn_a");
        var wanted = new List<string>
        {
            await Server.AddAsync("pull_request.created", "conn_a"),
        };
        await Server.AddAsync("work_item.updated", "conn_a");
        await Server.AddAsync("pull_request.merged", "conn_b");
        await Server.AddAsync("pull_request.created");
        wanted.Add(await Server.AddAsync("pull_request.updated", "conn_a"));
        wanted.Add(await Server.AddAsync("connection.deleted", "conn_a"));

        var got = new List<string>();
        foreach (var _ in wanted)
        {
            got.Add((await stream.NextEntryAsync()).Json.GetProperty("id").GetString()!);
        }

        got.ShouldBe(wanted);
    }

    [Fact]
    public async Task AnotherEnvironmentsKey_SeesNoneOfThisEnvironmentsEvents()
    {
        using var admin = Server.Client();
        var key = (await (await admin.PostAsJsonAsync("/v1/admin/api-keys", new { name = "stream other env", environment = "production", role = "product" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("key").GetString();
        await using var other = await SseConnection.OpenAsync(Server, "?cursor=0", apiKey: key);
        await Server.AddManyAsync(3);
        var theirs = await Server.AddAsync("connection.created", environment: "production");

        var entry = await other.NextEntryAsync();
        entry.Json.GetProperty("id").GetString().ShouldBe(theirs);
        (await (await Server.Client(key).GetAsync("/v1/events?limit=500")).ShouldBeJsonAsync()).GetProperty("items").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task WithoutAKey_Is401_AndBadInput_Is400WithTheFix()
    {
        using var anonymous = Server.Client(apiKey: null);
        await (await anonymous.GetAsync("/v1/events/stream")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        using var api = Server.Client();
        (await (await api.GetAsync("/v1/events/stream?types=pull_requests.*")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_filter"))
            .GetProperty("detail").GetString()!.ShouldContain("types[0]");
        (await (await api.GetAsync("/v1/events/stream?cursor=yesterday")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_cursor"))
            .GetProperty("detail").GetString()!.ShouldContain("Leave it out to start now");
        await (await api.GetAsync("/v1/events/stream?after=evt_0000000000000000000000000000")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_cursor");
    }

    [Fact]
    public async Task Replay_ReachesTheStream_FlaggedAsReplay_AndResumeStaysExactlyOnce()
    {
        await using var stream = await SseConnection.OpenAsync(Server);
        var id = await Server.AddAsync("pull_request.commented");
        var original = await stream.NextEntryAsync();
        original.Json.GetProperty("id").GetString().ShouldBe(id);

        using var api = Server.Client();
        (await api.PostAsJsonAsync($"/v1/events/{id}/replay", new { })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var replay = await stream.NextEntryAsync();
        replay.Type.ShouldBe("replay");
        replay.Json.GetProperty("id").GetString().ShouldBe(id);
        replay.Json.GetProperty("type").GetString().ShouldBe("pull_request.commented");
        long.Parse(replay.Id!).ShouldBeGreaterThan(long.Parse(original.Id!));

        // A listener that had only the original resumes with the replay, then new events; one that had the replay, with new events only.
        var next = await Server.AddAsync("pull_request.created");
        await using var fromOriginal = await SseConnection.OpenAsync(Server, lastEventId: original.Id);
        (await fromOriginal.NextEntryAsync()).ShouldBe(replay);
        (await fromOriginal.NextEntryAsync()).Json.GetProperty("id").GetString().ShouldBe(next);
        await using var fromReplay = await SseConnection.OpenAsync(Server, lastEventId: replay.Id);
        (await fromReplay.NextEntryAsync()).Json.GetProperty("id").GetString().ShouldBe(next);
    }

    [Fact]
    public async Task IdleStream_GetsKeepAliveComments()
    {
        await using var stream = await SseConnection.OpenAsync(Server, "?types=app.secret_expiring");
        (await stream.LineAsync(l => l == ": keep-alive", TimeSpan.FromSeconds(10))).ShouldNotBeNull();
    }

    [Fact]
    public async Task OpenApi_DescribesTheStream_AsTextEventStream()
    {
        var document = await (await Server.Client().GetAsync("/openapi/v1.json")).ShouldBeJsonAsync();
        var get = document.GetProperty("paths").GetProperty("/v1/events/stream").GetProperty("get");
        get.GetProperty("operationId").GetString().ShouldBe("streamEvents");
        get.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("text/event-stream", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task MoreStreamsThanAllowedPerKey_Is429_AndShutdown_EndsStreamsCleanly()
    {
        var server = await WebhookServers.StartAsync(settings: new() { ["AdoBridge:EventStream:MaxStreamsPerKey"] = "1" });
        await using var stream = await SseConnection.OpenAsync(server);
        await (await server.Client().GetAsync("/v1/events/stream")).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "too_many_streams");

        var stopping = server.DisposeAsync().AsTask();
        (await stream.LineAsync(_ => false, TimeSpan.FromSeconds(10))).ShouldBeNull(); // the end of the stream, not a timeout
        await stopping;
    }
}
