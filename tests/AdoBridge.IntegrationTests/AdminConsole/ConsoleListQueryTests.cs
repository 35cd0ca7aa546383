using System.Net;
using System.Text.RegularExpressions;
using AdoBridge.AzureDevOps;
using AdoBridge.Connections;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Storage;
using AdoBridge.IntegrationTests.Webhooks;
using AdoBridge.Storage;
using AdoBridge.Webhooks.Delivery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace AdoBridge.IntegrationTests.AdminConsole;

/// <summary>
/// The list queries the console's pages stand on, rewritten to use indexes at scale (migration 16): the organisation
/// filter through its own table, the search for the start of an id, end-user id, name or e-mail, time filters that also
/// bound the event id, dead and retrying events found from their deliveries, the count of every dead event, and a payload
/// search that looks through the log in steps. Each must give exactly what the plain filter would, on both engines.
/// </summary>
public sealed partial class ConsoleListQueryTests
{
    private const string Environment = WebhookServers.Environment;

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task Connections_OrganisationFilterAndSearch_MatchWholeNamesAndStartsInAnyCase(string engine)
    {
        await using var server = await WebhookServers.StartAsync(engine);
        var service = server.Service<ConnectionService>();
        async Task<string> SaveAsync(string user, string name, string email, string[] organizations, string? reconnect = null)
            => (await service.SaveAsync(new NewConnection(Environment, user, name, "sandbox", AuthTypes.Pat, organizations, null, new DevOpsProfile("id-" + user, name, email),
                null, null, new TokenResult("pat-" + user, null, null, null), reconnect), CancellationToken.None)).Connection.Id;
        async Task<List<string>> ListAsync(string? organization = null, string? search = null)
            => (await service.ListAsync(Environment, new ConnectionFilter(null, null, null, null, organization, search), null, 50, CancellationToken.None)).Items.Select(c => c.Id).ToList();

        var ada = await SaveAsync("ada-lovelace", "Ada Lovelace", "ada@contoso.example", ["Contoso", "fabrikam"]);
        var bob = await SaveAsync("bob", "Bob Builder", "builder@fabrikam.example", ["fabrikam"]);

        (await ListAsync(organization: "contoso")).ShouldBe([ada]);
        (await ListAsync(organization: "CONTOSO")).ShouldBe([ada], "organisation names match in any case");
        (await ListAsync(organization: "fabrikam")).ShouldBe([ada, bob]);
        (await ListAsync(organization: "contoso-labs")).ShouldBeEmpty("a whole name, not a part of one");
        (await ListAsync(organization: "conto")).ShouldBeEmpty("a whole name, not a part of one");

        (await ListAsync(search: "ADA-")).ShouldBe([ada], "the start of the end-user id, in any case");
        (await ListAsync(search: "bob b")).ShouldBe([bob], "the start of the display name");
        (await ListAsync(search: "builder@fab")).ShouldBe([bob], "the start of the e-mail");
        (await ListAsync(search: ada)).ShouldBe([ada], "the connection id");
        (await ListAsync(search: ada.ToUpperInvariant()[..10])).ShouldContain(ada, "the start of the id, in any case");
        (await ListAsync(search: "lovelace")).ShouldBeEmpty("the middle of a name is not its start");
        (await ListAsync(search: "nobody")).ShouldBeEmpty();
        (await ListAsync(organization: "fabrikam", search: "bob")).ShouldBe([bob], "both filters at once");

        // Reconnecting with other organisations moves the connection; deleting it takes its rows away.
        (await SaveAsync("ada-lovelace", "Ada Lovelace", "ada@contoso.example", ["Fabrikam", "northwind"], reconnect: ada)).ShouldBe(ada);
        (await ListAsync(organization: "contoso")).ShouldBeEmpty();
        (await ListAsync(organization: "northwind")).ShouldBe([ada]);
        (await ListAsync(organization: "fabrikam")).ShouldBe([ada, bob]);
        (await service.DeleteAsync(Environment, bob, "test", CancellationToken.None)).ShouldBeTrue();
        (await ListAsync(organization: "fabrikam")).ShouldBe([ada]);
        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.ConnectionOrganizations.CountAsync(o => o.ConnectionId == bob)).ShouldBe(0, "a deleted connection's organisations go with it");
        (await db.ConnectionOrganizations.Where(o => o.ConnectionId == ada).Select(o => o.Organization).OrderBy(o => o).ToListAsync()).ShouldBe(["fabrikam", "northwind"]);
    }

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task ConnectionSearch_BeyondItsOrderedScan_TheIndexesFindTheRest_InOrder(string engine)
    {
        await using var server = await WebhookServers.StartAsync(engine);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero));
        var ids = new List<string>();
        await using (var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync())
        {
            // More connections than a search looks through in order: "team-" users every 100th, and two "rare-" users,
            // one inside the ordered scan and one far beyond it.
            for (var i = 0; i < ConnectionService.SearchScan + 500; i++)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                var user = i is 10 or 2_300 ? $"Rare-{i}" : i % 100 == 0 ? $"team-{i}" : $"user-{i}";
                var id = Ids.New("conn", clock);
                ids.Add(id);
                db.Connections.Add(new ConnectionEntity
                {
                    Id = id, EnvironmentId = Environment, EndUserId = user, AppName = "sandbox", AuthType = AuthTypes.Pat, Status = ConnectionStatus.Active,
                    Organizations = "[]", CreatedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow(),
                });
            }

            await db.SaveChangesAsync();
        }

        var service = server.Service<ConnectionService>();
        async Task<(List<string> Ids, string? Next)> PageAsync(string search, string? cursor = null, int limit = 50)
        {
            var page = await service.ListAsync(Environment, new ConnectionFilter(null, null, null, null, null, search), cursor, limit, CancellationToken.None);
            return ([.. page.Items.Select(c => c.Id)], page.NextCursor);
        }

        (await PageAsync("rare-")).Ids.ShouldBe([ids[10], ids[2_300]], "one found in order, one by the indexes beyond the scan");
        var team = Enumerable.Range(0, ids.Count).Where(i => i % 100 == 0 && i != 2_300).Select(i => ids[i]).ToList();
        var first = await PageAsync("TEAM-", limit: 10);
        first.Ids.ShouldBe(team[..10]);
        var second = await PageAsync("team-", first.Next, limit: 20);
        second.Ids.ShouldBe(team[10..], "the rest, some beyond the scan, in order");
        second.Next.ShouldBeNull();
        (await PageAsync("nobody")).Ids.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task Events_TimeFiltersAndStatuses_GiveExactlyWhatTheyName(string engine)
    {
        await using var server = await WebhookServers.StartAsync(engine);
        var log = server.Service<EventLog>();
        var start = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        var made = new List<string>();
        await using (var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync())
        {
            // Three events an hour apart; the second's id is 30 s ahead of its created_at (an id keeps the last one's time
            // when the clock steps back), which the time filter must still place by created_at.
            for (var i = 0; i < 3; i++)
            {
                clock.SetUtcNow(start.AddHours(i).AddSeconds(i == 1 ? 30 : 0));
                var id = Ids.New("evt", clock);
                made.Add(id);
                var at = start.AddHours(i);
                db.Events.Add(new EventEntity { Id = id, EnvironmentId = Environment, Type = "pull_request.created", Payload = "{}", CreatedAt = at, DispatchedAt = at });
            }

            // The first has a dead delivery; the second one being retried; the third both (dead wins).
            Delivery(db, made[0], "a", DeliveryStatus.Dead, 6, start);
            Delivery(db, made[1], "a", DeliveryStatus.Pending, 2, start);
            Delivery(db, made[1], "b", DeliveryStatus.Succeeded, 1, start);
            Delivery(db, made[2], "a", DeliveryStatus.Dead, 6, start);
            Delivery(db, made[2], "b", DeliveryStatus.Pending, 1, start);
            await db.SaveChangesAsync();
        }

        var ids = made.ToArray();
        async Task<List<string>> ListAsync(DateTimeOffset? since = null, DateTimeOffset? until = null, string? status = null, string? type = null)
            => (await log.ListAsync(Environment, new EventFilter(type, null, status, since, until, null, null, 50), CancellationToken.None)).Items.Select(e => e.Id).ToList();

        var second = start.AddHours(1);
        (await ListAsync(since: second)).ShouldBe(ids[1..]);
        (await ListAsync(since: second.AddMilliseconds(1))).ShouldBe([ids[2]]);
        (await ListAsync(until: second)).ShouldBe(ids[..2]);
        (await ListAsync(until: second.AddMilliseconds(-1))).ShouldBe([ids[0]]);
        (await ListAsync(since: second, until: second)).ShouldBe([ids[1]]);
        (await ListAsync(since: start.AddDays(-1), until: start.AddMinutes(-1))).ShouldBeEmpty();
        (await log.CountAsync(Environment, new EventFilter(null, null, null, second, null, null, null, 0), CancellationToken.None)).ShouldBe((2, ids[2]));

        (await ListAsync(status: "dead")).ShouldBe([ids[0], ids[2]]);
        (await ListAsync(status: "failed")).ShouldBe([ids[1]]);
        (await ListAsync(status: "dead", since: second)).ShouldBe([ids[2]]);
        (await ListAsync(status: "delivered")).ShouldBeEmpty();

        // Every dead event is counted from the dead deliveries alone; with another filter, through the events: the same answer.
        (await log.CountAsync(Environment, new EventFilter(null, null, "dead", null, null, null, null, 0), CancellationToken.None)).ShouldBe((2, ids[2]));
        (await log.CountAsync(Environment, new EventFilter("pull_request.*", null, "dead", null, null, null, null, 0), CancellationToken.None)).ShouldBe((2, ids[2]));
        (await log.CountAsync("another", new EventFilter(null, null, "dead", null, null, null, null, 0), CancellationToken.None)).ShouldBe((0, null), "another environment's are not counted");
    }

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task PayloadSearch_LooksThroughTheLogInSteps_AndItsPagesFindTheOneMatch(string engine)
    {
        await using var server = await WebhookServers.StartAsync(engine);
        using var owner = new ConsoleSession(server.BaseUrl);
        (await owner.SetUpOwnerAsync(ConsoleSession.SetupToken(server))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var ids = await server.AddEventsAsync(AdoBridge.AdminConsole.ConsoleEventEndpoints.SearchStep + 300);

        // "PR 2790" is in one event alone, after more than one step: following the pages finds it once, and every
        // page that stopped short says how far it looked.
        var index = ids.Count - 10;
        var wanted = ids[index];
        var url = "/console/events?search=" + Uri.EscapeDataString($"\"PR {index}\"");
        var found = 0;
        for (var pages = 0; url is not null; pages++)
        {
            pages.ShouldBeLessThan(100);
            var (status, html) = await owner.PageAsync(url);
            status.ShouldBe(HttpStatusCode.OK);
            found += html.Contains($"/console/events/{wanted}", StringComparison.Ordinal) ? 1 : 0;
            var next = NextPage().Match(html);
            if (next.Success)
            {
                html.ShouldContain("This page searched ");
            }

            url = next.Success ? WebUtility.HtmlDecode(next.Groups[1].Value) : null;
        }

        found.ShouldBe(1);
    }

    private static void Delivery(AdoBridgeDbContext db, string eventId, string endpoint, string status, int attempts, DateTimeOffset at)
        => db.Deliveries.Add(new DeliveryEntity
        {
            Id = $"dlv_{eventId}_{endpoint}", EnvironmentId = Environment, EventId = eventId, EndpointId = "whe_" + endpoint, Status = status, Attempts = attempts,
            NextAttemptAt = at.AddDays(30), CreatedAt = at,
        });

    [GeneratedRegex("<a href=\"([^\"]+)\"[^>]*>Next page</a>")]
    private static partial Regex NextPage();
}
