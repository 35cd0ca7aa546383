using System.Net;
using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Storage;
using AdoBridge.IntegrationTests.Webhooks;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.IntegrationTests.AdminConsole;

/// <summary>
/// The console's event log: filters and payload search, bad filters shown on the page, an event's page with its attempts,
/// replay one; the API's step-by-step bulk replay on both engines (runs: ConsoleBulkReplayRunsTests, BulkReplayRunsTests).
/// </summary>
public sealed class ConsoleEventsTests : IAsyncLifetime
{
    private AdoBridgeServer server = null!;
    private ConsoleSession owner = null!;

    public async Task InitializeAsync()
    {
        server = await WebhookServers.StartAsync();
        owner = new ConsoleSession(server.BaseUrl);
        (await owner.SetUpOwnerAsync(ConsoleSession.SetupToken(server))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Filters_AndPayloadSearch_NarrowTheList_AndHtmxGetsTheListAlone()
    {
        var ids = await server.AddEventsAsync(5, "work_item.commented");

        var all = await (await owner.GetAsync("/console/events?type=work_item.commented")).Content.ReadAsStringAsync();
        ids.ShouldAllBe(id => all.Contains(id));

        // "PR 3" is in the third event's data only.
        var found = await (await owner.GetAsync("/console/events?type=work_item.*&search=" + Uri.EscapeDataString("\"PR 3\""))).Content.ReadAsStringAsync();
        found.ShouldContain(ids[3]);
        ids.Where((_, i) => i != 3).ShouldAllBe(id => !found.Contains(id));

        // The raw Azure DevOps payload is searched too.
        var raw = await (await owner.GetAsync("/console/events?type=work_item.commented&search=" + Uri.EscapeDataString("\"eventType\":\"git.pullrequest.created\""))).Content.ReadAsStringAsync();
        ids.ShouldAllBe(id => raw.Contains(id));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/console/events?type=work_item.commented&search=nothing-like-this");
        request.Headers.Add("HX-Request", "true");
        using var fragment = await owner.Http.SendAsync(request);
        var html = await fragment.Content.ReadAsStringAsync();
        html.TrimStart().ShouldStartWith("<div id=\"results\"");
        html.ShouldContain("No event matches this filter.");
    }

    [Theory]
    [InlineData("status=lost", "must be one of: pending, delivered")]
    [InlineData("since=yesterday", "is not a time: use the picker")]
    [InlineData("since=2026-12-07T10:00&until=2026-12-01T10:00", "swap them, or leave one out")]
    [InlineData("type=*", "or a family (pull_request.*)")]
    public async Task BadFilter_ShowsThePageWithAMessage(string query, string message)
    {
        using var response = await owner.GetAsync("/console/events?" + query);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("<h1>Event log</h1>");
        html.ShouldContain(message);

        using var bulk = await owner.GetAsync("/console/events/bulk-replay?" + query);
        bulk.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bulk.Content.ReadAsStringAsync()).ShouldContain(message);
    }

    [Fact]
    public async Task EventPage_ShowsDataRawPayloadAndAttempts_AndReplaySendsItAgain()
    {
        await using var receiver = await ProductReceiver.StartAsync();
        receiver.Respond("console-events", _ => 503);
        using var api = server.Client();
        await api.CreateEndpointAsync(receiver.Url("console-events"), "build.completed");
        var id = (await server.AddEventsAsync(1, "build.completed")).Single();
        await api.WaitForEventStatusAsync(id, "dead");

        var page = await (await owner.GetAsync($"/console/events/{id}?environment=sandbox")).Content.ReadAsStringAsync();
        page.ShouldContain("Raw Azure DevOps payload");
        page.ShouldContain("git.pullrequest.created");
        page.ShouldContain("503");
        page.ShouldContain(" ms</td>");
        page.ShouldContain(receiver.Url("console-events").ToString());

        receiver.Respond("console-events", _ => 200);
        var before = receiver.On("console-events").Count;
        using var replayed = await owner.PostAsync($"/console/events/{id}/replay", new() { ["environment"] = "sandbox" });
        replayed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await replayed.Content.ReadAsStringAsync()).ShouldContain("on its way again to 1 endpoint");
        await api.WaitForEventStatusAsync(id, "delivered");
        receiver.On("console-events").Count.ShouldBeGreaterThan(before);

        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.ConsoleAudit.CountAsync(a => a.Action == "event.replayed" && a.Detail!.Contains(id))).ShouldBe(1);

        (await owner.GetAsync("/console/events/evt_nope?environment=sandbox")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var forged = await owner.PostAsync($"/console/events/{id}/replay", new() { ["environment"] = "sandbox" }, withToken: false);
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    public async Task DisposeAsync()
    {
        owner.Dispose();
        await server.DisposeAsync();
    }
}

/// <summary>POST /v1/events/bulk-replay and the payload search of GET /v1/events, on both engines.</summary>
public sealed class BulkReplayApiTests
{
    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task BulkReplay_CountsThenReplaysInSteps_DeliveringEachMatchingEventAgain(string engine)
    {
        await using var receiver = await ProductReceiver.StartAsync();
        await using var server = await WebhookServers.StartAsync(engine);
        using var api = server.Client();
        await api.CreateEndpointAsync(receiver.Url("bulk"), "work_item.deleted");
        var ids = await server.AddEventsAsync(7, "work_item.deleted");
        await server.AddEventsAsync(2, "work_item.restored");
        await receiver.WaitAsync("bulk", r => r.Count >= 7);

        var search = await (await api.GetAsync("/v1/events?search=" + Uri.EscapeDataString("\"PR 5\""))).ShouldBeJsonAsync();
        search.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ShouldBe([ids[5]]);

        var dry = await (await api.PostAsJsonAsync("/v1/events/bulk-replay", new { type = "work_item.deleted", dryRun = true })).ShouldBeJsonAsync();
        dry.GetProperty("matched").GetInt32().ShouldBe(7);
        dry.GetProperty("replayed").GetInt32().ShouldBe(0);
        dry.GetProperty("through").GetString().ShouldBe(ids.Max(StringComparer.Ordinal));

        var first = await (await api.PostAsJsonAsync("/v1/events/bulk-replay", new { type = "work_item.deleted", limit = 4 })).ShouldBeJsonAsync();
        first.GetProperty("matched").GetInt32().ShouldBe(7);
        first.GetProperty("replayed").GetInt32().ShouldBe(4);
        var next = first.GetProperty("nextCursor").GetString();
        var second = await (await api.PostAsJsonAsync("/v1/events/bulk-replay", new { type = "work_item.deleted", limit = 4, through = first.GetProperty("through").GetString(), cursor = next })).ShouldBeJsonAsync();
        second.GetProperty("replayed").GetInt32().ShouldBe(3);
        second.GetProperty("nextCursor").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        second.TryGetProperty("matched", out var m).ShouldBeTrue();
        m.ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);

        var receipts = await receiver.WaitAsync("bulk", r => r.Count >= 14);
        receipts.GroupBy(r => r.WebhookId).ShouldAllBe(g => g.Count() == 2);

        await (await api.PostAsJsonAsync("/v1/events/bulk-replay", new { status = "lost" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_filter");
        await (await api.PostAsJsonAsync("/v1/events/bulk-replay", new { cursor = "evt_x" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_filter");
        await (await api.GetAsync("/v1/events?search=" + new string('x', 201))).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_filter");
    }
}
