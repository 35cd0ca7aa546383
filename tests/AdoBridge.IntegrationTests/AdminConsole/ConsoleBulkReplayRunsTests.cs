using System.Net;
using System.Text.RegularExpressions;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Storage;
using AdoBridge.IntegrationTests.Webhooks;
using AdoBridge.Storage;
using AdoBridge.Webhooks.BulkReplay;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.IntegrationTests.AdminConsole;

/// <summary>
/// The console's bulk replay: the count before confirming, Replay starts a run and opens its page, which htmx polls while
/// it runs; Cancel stops it; the list of runs; the audit. The worker is switched off so the test takes each step.
/// </summary>
public sealed partial class ConsoleBulkReplayRunsTests : IAsyncLifetime
{
    private const string Type = "repository.forked";
    private AdoBridgeServer server = null!;
    private ConsoleSession owner = null!;

    public async Task InitializeAsync()
    {
        var settings = await StorageEngine.SettingsAsync(StorageEngine.Sqlite);
        settings["AdoBridge:Events:BulkReplay:Enabled"] = "false";
        server = await WebhookServers.StartAsync(StorageEngine.Sqlite, settings);
        owner = new ConsoleSession(server.BaseUrl);
        (await owner.SetUpOwnerAsync(ConsoleSession.SetupToken(server))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Replay_StartsARun_WhosePageShowsProgress_AndCancelStopsIt()
    {
        var ids = await server.AddEventsAsync(620, Type);
        await server.AddEventsAsync(3, "repository.renamed");
        var worker = server.Service<BulkReplayWorker>();

        var confirm = await (await owner.GetAsync($"/console/events/bulk-replay?environment=sandbox&type={Type}")).Content.ReadAsStringAsync();
        confirm.ShouldContain("<strong>620 events</strong> match");
        confirm.ShouldContain("Replay 620 events");
        var through = Through().Match(confirm).Groups[1].Value;
        through.ShouldBe(ids.Max(StringComparer.Ordinal));

        // Events that arrive after the count are left alone.
        await server.AddEventsAsync(2, Type);
        var fields = new Dictionary<string, string> { ["environment"] = "sandbox", ["type"] = Type, ["through"] = through, ["total"] = "620" };
        var runPage = await StartAsync(fields);
        var (status, html) = await owner.PageAsync(runPage);
        status.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain("Replaying: <strong>0 of 620 events</strong>");
        html.ShouldContain($"hx-get=\"{runPage}\"");
        html.ShouldContain("hx-trigger=\"every 2s\"");
        html.ShouldContain("http-equiv=\"refresh\" content=\"2\"");

        // A step, then htmx's poll gets the progress block alone.
        (await worker.StepAsync(CancellationToken.None)).ShouldBe(BulkReplayStepOutcome.Stepped);
        var progress = await HtmxAsync(runPage);
        progress.TrimStart().ShouldStartWith("<div id=\"bulk-replay-run\"");
        progress.ShouldContain("Replaying: <strong>500 of 620 events</strong>");

        // Cancel: nothing more is replayed, and the page stops polling.
        using var cancelled = await owner.PostAsync(runPage + "/cancel", new());
        cancelled.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await worker.StepAsync(CancellationToken.None)).ShouldBe(BulkReplayStepOutcome.Idle);
        (await ReplaysOfAsync(ids)).ShouldBe(500);
        var after = await (await owner.GetAsync(cancelled.Headers.Location!.ToString())).Content.ReadAsStringAsync();
        after.ShouldContain("Cancelled after <strong>500 of 620 events</strong>");
        after.ShouldNotContain("hx-trigger=\"every");

        // A new run to the end.
        await owner.GetAsync($"/console/events/bulk-replay?environment=sandbox&type={Type}");
        var second = await StartAsync(fields);
        (await worker.StepAsync(CancellationToken.None)).ShouldBe(BulkReplayStepOutcome.Stepped);
        (await worker.StepAsync(CancellationToken.None)).ShouldBe(BulkReplayStepOutcome.Ended);
        var done = await HtmxAsync(second);
        done.ShouldContain("Done: <strong>620 events</strong> are on their way again");
        done.ShouldNotContain("hx-trigger=\"every");
        (await ReplaysOfAsync(ids)).ShouldBe(1120);

        // The list, newest first.
        var list = await (await owner.GetAsync("/console/events/bulk-replays?environment=sandbox")).Content.ReadAsStringAsync();
        list.IndexOf(second.Split('/')[^1], StringComparison.Ordinal).ShouldBeLessThan(list.IndexOf(runPage.Split('/')[^1], StringComparison.Ordinal));
        list.ShouldContain("cancelled");
        list.ShouldContain("finished");

        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.ConsoleAudit.CountAsync(a => a.Action == "events.bulk_replay_started" && a.Actor == ConsoleSession.OwnerName)).ShouldBe(2);
        (await db.ConsoleAudit.CountAsync(a => a.Action == "events.bulk_replay_cancelled" && a.Detail!.StartsWith("after 500 of 620"))).ShouldBe(1);
        (await db.ConsoleAudit.CountAsync(a => a.Action == "events.bulk_replay_finished" && a.Actor == ConsoleSession.OwnerName)).ShouldBe(1);

        // Without the antiforgery token nothing starts or stops; an unknown run is a page that says so.
        using var forged = await owner.PostAsync("/console/events/bulk-replay", new(fields), withToken: false);
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var forgedCancel = await owner.PostAsync(second + "/cancel", new(), withToken: false);
        forgedCancel.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var (missing, missingHtml) = await owner.PageAsync("/console/events/bulk-replays/brr_nope");
        missing.ShouldBe(HttpStatusCode.NotFound);
        missingHtml.ShouldContain("There is no bulk replay run");
        missingHtml.ShouldContain("brr_nope");
    }

    private async Task<string> StartAsync(Dictionary<string, string> fields)
    {
        using var started = await owner.PostAsync("/console/events/bulk-replay", new(fields));
        started.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = started.Headers.Location!.ToString();
        location.ShouldStartWith("/console/events/bulk-replays/brr_");
        return location;
    }

    private async Task<string> HtmxAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("HX-Request", "true");
        using var response = await owner.Http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<int> ReplaysOfAsync(IReadOnlyList<string> ids)
    {
        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        return await db.EventReplays.CountAsync(r => ids.Contains(r.EventId));
    }

    public async Task DisposeAsync()
    {
        owner.Dispose();
        await server.DisposeAsync();
    }

    [GeneratedRegex("name=\"through\" value=\"([^\"]+)\"")]
    private static partial Regex Through();
}
