using System.Security.Claims;
using AdoBridge.ApiKeys;
using AdoBridge.Hosting;
using AdoBridge.Problems;
using AdoBridge.Storage;
using AdoBridge.Webhooks.Delivery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>The event log under /v1/events and /v1/deliveries, scoped to the API key's environment.</summary>
internal static class EventsApi
{
    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/events", ListAsync).WithTags("Events")
            .WithName("listEvents").WithProblemCodes(400, "invalid_filter").WithSummary("List events")
            .WithDescription("Events of this key's environment, oldest first; filter by connectionId, type (exact or `prefix.*`), status (pending, delivered, failed, dead, none), since/until, source, and text in the data or raw payload (`search`); page with `cursor`.");
        v1.MapGet("/events/{id}", GetAsync).WithTags("Events")
            .WithName("getEvent").WithProblemCodes(404, "event_not_found").WithSummary("Get an event with its deliveries")
            .WithDescription("One event with its data, the raw Azure DevOps payload, and every delivery with its attempts (status code, outcome, duration, response excerpt).");
        v1.MapPost("/events/{id}/replay", ReplayAsync).WithTags("Events")
            .WithName("replayEvent").WithProblemCodes(404, "event_not_found", "webhook_endpoint_not_found").WithSummary("Send an event again")
            .WithDescription("Send the event again with the same webhook-id: to one endpoint ({\"endpointId\"}) or to every endpoint that had it or matches it now.");
        v1.MapPost("/events/bulk-replay", BulkReplayAsync).WithTags("Events")
            .WithRequestExample("""{"status": "dead", "since": "2026-12-01T00:00:00Z"}""")
            .WithName("bulkReplayEvents").WithProblemCodes(400, "invalid_filter").WithSummary("Send every event a filter matches again")
            .WithDescription("A bulk replay, one step per call: the first counts the events the filter matches (`matched`; with `dryRun` nothing else happens) and replays the first of them; "
                + "call again with its `through` and `nextCursor` until `nextCursor` is null. Each event is replayed as POST /v1/events/{id}/replay does. To cancel, stop calling.");
        v1.MapGet("/deliveries", ListDeliveriesAsync).WithTags("Events")
            .WithName("listDeliveries").WithProblemCodes(400, "invalid_filter").WithSummary("List deliveries")
            .WithDescription("Deliveries of this key's environment, oldest first; filter by endpointId, eventId, status (pending, failed, succeeded, dead); page with `cursor`.");
        return v1;
    }

    private static async Task<Results<Ok<EventList>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, EventLog log, string? type, string? connectionId, string? status, DateTimeOffset? since, DateTimeOffset? until, string? source, string? search,
        string? cursor, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 500)
        {
            return Problem.BadRequest("invalid_filter", "`limit` must be between 1 and 500 (default 100).");
        }

        if (EventFilterInput.Check(type, status, source, since, until, search) is { } error)
        {
            return Problem.BadRequest("invalid_filter", error);
        }

        var filter = new EventFilter(type, connectionId, status, since, until, source, cursor, limit ?? 100, search);
        return TypedResults.Ok(await log.ListAsync(user.EnvironmentId(), filter, ct));
    }

    private static async Task<Results<Ok<EventDetail>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, EventLog log, CancellationToken ct)
        => await log.GetAsync(user.EnvironmentId(), id, ct) is { } detail ? TypedResults.Ok(detail) : NotFound(id);

    private static async Task<Results<Accepted<ReplayResult>, ProblemHttpResult>> ReplayAsync(
        string id, [FromBody] ReplayRequest? request, ClaimsPrincipal user, EventLog log, CancellationToken ct)
    {
        var result = await log.ReplayAsync(user.EnvironmentId(), id, request?.EndpointId, ct);
        if (result is null)
        {
            return request?.EndpointId is { } endpointId && await log.GetAsync(user.EnvironmentId(), id, ct) is not null
                ? WebhookEndpointInput.NotFound(endpointId)
                : NotFound(id);
        }

        return TypedResults.Accepted($"/v1/events/{id}", result);
    }

    private static async Task<Results<Ok<BulkReplayStep>, ProblemHttpResult>> BulkReplayAsync(
        [FromBody] BulkReplayRequest? request, ClaimsPrincipal user, EventLog log, CancellationToken ct)
    {
        var r = request ?? new BulkReplayRequest(null, null, null, null, null, null, null, null, null, null, null);
        if (EventFilterInput.Check(r.Type, r.Status, r.Source, r.Since, r.Until, r.Search) is { } error)
        {
            return Problem.BadRequest("invalid_filter", error);
        }

        if (r.Limit is < 1 or > 1000)
        {
            return Problem.BadRequest("invalid_filter", "`limit` must be between 1 and 1000 (default 500).");
        }

        if (r.Cursor is not null && r.Through is null)
        {
            return Problem.BadRequest("invalid_filter", "`cursor` continues a run: send the `through` of that run's first step with it.");
        }

        var filter = new EventFilter(r.Type, r.ConnectionId, r.Status, r.Since, r.Until, r.Source, r.Cursor, 0, r.Search);
        int? matched = null;
        var through = r.Through;
        if (through is null)
        {
            (var count, through) = await log.CountAsync(user.EnvironmentId(), filter, ct);
            matched = count;
        }

        if (through is null || r.DryRun == true)
        {
            return TypedResults.Ok(new BulkReplayStep(matched, 0, through, null));
        }

        var (replayed, next) = await log.ReplayMatchingAsync(user.EnvironmentId(), filter, through, r.Limit ?? 500, ct);
        return TypedResults.Ok(new BulkReplayStep(matched, replayed, through, next));
    }

    private static async Task<Results<Ok<DeliveryList>, ProblemHttpResult>> ListDeliveriesAsync(
        ClaimsPrincipal user, EventLog log, string? endpointId, string? status, string? eventId, string? cursor, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 500)
        {
            return Problem.BadRequest("invalid_filter", "`limit` must be between 1 and 500 (default 100).");
        }

        if (status is not null && !DeliveryStatus.Shown.Contains(status))
        {
            return Problem.BadRequest("invalid_filter", $"`status` must be one of: {string.Join(", ", DeliveryStatus.Shown)}.");
        }

        return TypedResults.Ok(await log.ListDeliveriesAsync(user.EnvironmentId(), endpointId, status, eventId, cursor, limit ?? 100, ct));
    }

    private static ProblemHttpResult NotFound(string id)
        => Problem.NotFound("event_not_found", $"There is no event '{(id.Length <= 64 ? id : id[..64] + "…")}' in this API key's environment.");
}
