using System.Globalization;
using System.Text.Json;
using AdoBridge.AdminConsole.Components;
using AdoBridge.Environments;
using AdoBridge.Hosting;
using AdoBridge.Problems;
using AdoBridge.Webhooks.Delivery;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.AdminConsole;

/// <summary>
/// The console's event log: the list with filters (type, connection, status, time, source) and search in payloads, in
/// keyset pages; an event's page with its data, raw payload and every attempt; replay one. Bulk replay is in
/// <see cref="ConsoleBulkReplayEndpoints"/>. Reads and replays go through <see cref="EventLog"/>, as the API's do.
/// </summary>
internal static class ConsoleEventEndpoints
{
    public const string Replayed = "event.replayed";
    private const int PageSize = 50;

    /// <summary>
    /// Searching payloads cannot use an index: a page of a search reads the events after its cursor in steps of this many,
    /// and starts no further step once <see cref="SearchBudget"/> has passed, so it answers in about the same time on any
    /// log and any machine; then it says how far it looked, and its next page goes on from there.
    /// </summary>
    internal const int SearchStep = 2_500;

    internal static readonly TimeSpan SearchBudget = TimeSpan.FromMilliseconds(60);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static IEndpointRouteBuilder MapConsoleEvents(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/console/events").ExcludeFromDescription().RequireAuthorization(ConsoleAuth.Policy).RequireConsoleAntiforgery();
        pages.MapGet("/", ListAsync).WithName("consoleEvents").WithSummary("Event log page")
            .WithDescription("Events filtered by type, connection, status, time and source, and searched in their payloads, in keyset pages.").WithProblemCodes(400, "bad_request");
        pages.MapGet("/{id}", DetailAsync).WithName("consoleEvent").WithSummary("Event page")
            .WithDescription("One event: its data, the raw Azure DevOps payload, and every delivery with its attempts.").WithProblemCodes(404, "event_not_found");
        pages.MapPost("/{id}/replay", ReplayAsync).WithName("consoleReplayEvent").WithSummary("Replay an event")
            .WithDescription("Sends the event again, with the same webhook-id, to every endpoint that had it or matches it now.").WithProblemCodes(400, "antiforgery_failed");
        return app;
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, EventLog log, string? cursor, CancellationToken ct)
    {
        var query = ConsoleEventQuery.Read(http.Request.Query);
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, query.Environment, ct);
        var (filter, error) = query.ToFilter(ConsolePage.Blank(cursor), PageSize);
        EventResultView result;
        if (filter is null)
        {
            result = new EventResultView([], null, null, null, error);
        }
        else
        {
            var (page, searched) = filter.Search is null ? (await log.ListAsync(scope.Environment, filter, ct), 0)
                : await SearchAsync(log, scope.Environment, filter, ct);
            var rows = page.Items.Select(e => new EventRowView(
                e.Id, e.Type, e.Status, e.ConnectionId, Where(e.Organization, e.Project, e.Repository), ConsolePage.When(e.CreatedAt),
                ConsolePage.Url("/console/events/" + Uri.EscapeDataString(e.Id), ("environment", scope.Environment)))).ToList();
            var parameters = query.Parameters(scope.Environment);
            result = new EventResultView(
                rows,
                page.NextCursor is null ? null : ConsolePage.Url("/console/events", [.. parameters, ("cursor", page.NextCursor)]),
                filter.Cursor is null ? null : ConsolePage.Url("/console/events", parameters),
                rows.Count == 0 ? null : ConsolePage.Url("/console/events/bulk-replay", parameters),
                null,
                searched > 0 ? $"This page searched {searched:N0} events{(rows.Count == 0 ? " and found no match" : $" and found {rows.Count}")}; the next page searches on from the last of them." : null);
        }

        if (ConsolePage.IsHtmx(http))
        {
            return new RazorComponentResult<EventsResults>(new { Result = result });
        }

        return new RazorComponentResult<EventsPage>(new { Frame = ConsolePage.Frame(http, antiforgery), Query = query.View(scope), Result = result })
        {
            StatusCode = error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest,
        };
    }

    /// <summary>
    /// One page of a payload search: steps of <see cref="SearchStep"/> events until the page is full, the log ends, or the
    /// budget is spent. Returns the page and how many events it looked through when it stopped short of the log's end
    /// (0 when it did not: the page is full or nothing is left).
    /// </summary>
    private static async Task<(EventList Page, int Searched)> SearchAsync(EventLog log, string environment, EventFilter filter, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var items = new List<EventView>();
        var cursor = filter.Cursor;
        var searched = 0;
        while (true)
        {
            var (page, windowEnded) = await log.ListWithinAsync(environment, filter with { Cursor = cursor, Limit = filter.Limit - items.Count }, SearchStep, ct);
            items.AddRange(page.Items);
            cursor = page.NextCursor;
            searched += SearchStep;
            if (!windowEnded || cursor is null)
            {
                return (new EventList(items, cursor), 0);
            }

            if (System.Diagnostics.Stopwatch.GetElapsedTime(started) >= SearchBudget)
            {
                return (new EventList(items, cursor), searched);
            }
        }
    }

    private static async Task<IResult> DetailAsync(
        string id, HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, EventLog log, WebhookEndpointService endpoints,
        string? environment, CancellationToken ct)
    {
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, environment, ct);
        return await DetailPageAsync(http, antiforgery, scope, log, endpoints, id, null, ct);
    }

    private static async Task<IResult> ReplayAsync(
        string id, HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, EventLog log, WebhookEndpointService endpoints,
        ConsoleAccounts accounts, CancellationToken ct)
    {
        var form = await ConsolePage.FormAsync(http, ct);
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, ConsolePage.Field(form, "environment"), ct);
        if (await log.ReplayAsync(scope.Environment, id, null, ct) is not { } result)
        {
            return await DetailPageAsync(http, antiforgery, scope, log, endpoints, id, null, ct);
        }

        await ConsolePage.AuditAsync(http, accounts, Replayed, $"{id} in {scope.Environment}: {result.Deliveries.Count} deliveries", ct);
        var notice = result.Deliveries.Count == 0
            ? "The event is replayed to running event streams; no webhook endpoint wants it."
            : $"The event is on its way again to {result.Deliveries.Count} endpoint{(result.Deliveries.Count == 1 ? "" : "s")}, with the same webhook-id.";
        return await DetailPageAsync(http, antiforgery, scope, log, endpoints, id, notice, ct);
    }

    private static async Task<IResult> DetailPageAsync(
        HttpContext http, IAntiforgery antiforgery, ConsoleEnvironmentScope scope, EventLog log, WebhookEndpointService endpoints, string id, string? notice, CancellationToken ct)
    {
        var frame = ConsolePage.Frame(http, antiforgery);
        if (await log.GetAsync(scope.Environment, id, ct) is not { } e)
        {
            var missing = new EventResultView([], null, null, null, $"There is no event '{(id.Length <= 64 ? id : id[..64] + "…")}' in environment '{scope.Environment}'.");
            return new RazorComponentResult<EventsPage>(new { Frame = frame, Query = new ConsoleEventQuery(scope.Environment, null, null, null, null, null, null, null).View(scope), Result = missing })
            {
                StatusCode = StatusCodes.Status404NotFound,
            };
        }

        var urls = (await endpoints.ListAsync(scope.Environment, null, 500, ct)).Items.ToDictionary(x => x.Id, x => x.Url, StringComparer.Ordinal);
        var deliveries = e.Deliveries.Select(d => new DeliveryRowView(
            d.Id, d.EndpointId, urls.GetValueOrDefault(d.EndpointId, "(deleted endpoint)"), d.Status, d.NextAttemptAt is null ? null : ConsolePage.When(d.NextAttemptAt),
            d.Attempts.Select(a => new AttemptRowView(
                a.Attempt, ConsolePage.When(a.StartedAt), a.DurationMs.ToString(CultureInfo.InvariantCulture) + " ms",
                a.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "no answer", a.Outcome, a.Error, a.ResponseBody)).ToList())).ToList();
        var view = new EventDetailView(
            e.Id, e.Type, e.Source, e.Status, e.ConnectionId, Where(e.Organization, e.Project, e.Repository), ConsolePage.When(e.CreatedAt),
            JsonSerializer.Serialize(e.Data, Indented), e.RawPayload is { } raw ? JsonSerializer.Serialize(raw, Indented) : null, deliveries, scope.Environment, notice);
        return new RazorComponentResult<EventPage>(new { Frame = frame, Detail = view });
    }

    private static string Where(string? organization, string? project, string? repository)
        => string.Join(" / ", new[] { organization, project, repository }.Where(p => p is { Length: > 0 }));
}
