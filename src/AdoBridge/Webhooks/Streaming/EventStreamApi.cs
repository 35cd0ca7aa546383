using System.Globalization;
using System.Security.Claims;
using AdoBridge.ApiKeys;
using AdoBridge.Problems;
using AdoBridge.Webhooks.Delivery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AdoBridge.Webhooks.Streaming;

/// <summary>GET /v1/events/stream: the environment's events as server-sent events, live and resumable.</summary>
internal static class EventStreamApi
{
    public static RouteGroupBuilder MapEventStreamApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/events/stream", StreamAsync).WithTags("Events")
            .WithName("streamEvents").WithSummary("Stream events live (server-sent events)")
            .WithDescription("""
                This key's environment's events as server-sent events (`text/event-stream`): first what was stored after the cursor, then each new event as it is committed.
                Each entry's `data` is the event as in GET /v1/events; its `id` is the cursor to resume from (send it back as the `Last-Event-ID` header, as EventSource does, or as `cursor`).
                Without a cursor the stream starts now. The first entry, `event: ready`, carries the starting cursor. A replay of an event (POST /v1/events/{id}/replay without an endpoint)
                arrives as `event: replay` with the same event data, at a position of its own. Filters: `types` (comma-separated; `pull_request.*`, `*`) and `connection`.
                Idle streams get a `: keep-alive` comment every 15 seconds. `after=evt_…` starts after that event.
                """)
            .Produces<EventView>(StatusCodes.Status200OK, EventStreamSession.ContentType)
            .WithProblemCodes(400, "invalid_cursor", "invalid_filter").WithProblemCodes(429, "too_many_streams");
        return v1;
    }

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> StreamAsync(
        HttpContext http, ClaimsPrincipal user, EventStreamReader reader, EventStreamSequencer sequencer, EventStreamLimiter limiter, EventStreamSession session,
        [FromQuery] string[]? types, string? connection, string? cursor, string? after, [FromHeader(Name = "Last-Event-ID")] string? lastEventId, CancellationToken ct)
    {
        var environmentId = user.EnvironmentId();
        var filters = types?.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (filters is { Count: 0 })
        {
            filters = null;
        }

        if (filters is not null && EventFilters.Validate(filters) is { } invalid)
        {
            return Problem.BadRequest("invalid_filter", invalid.Replace("`events", "`types", StringComparison.Ordinal));
        }

        // EventSource sends the last id it saw when it reconnects, to the same URL: that beats the URL's starting cursor.
        var given = !string.IsNullOrWhiteSpace(lastEventId) ? ("Last-Event-ID", lastEventId.Trim()) : cursor is not null ? ("cursor", cursor) : after is not null ? ("after", after) : default;
        long start;
        if (given.Item2 is null)
        {
            start = await reader.TailAsync(ct);
        }
        else if (long.TryParse(given.Item2, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            start = parsed;
        }
        else if (given.Item2.StartsWith("evt_", StringComparison.Ordinal) && given.Item2.Length <= 64
                 && await reader.PositionOfAsync(environmentId, given.Item2, sequencer, ct) is { } position)
        {
            start = position;
        }
        else
        {
            var shown = given.Item2.Length <= 64 ? given.Item2 : given.Item2[..64] + "…";
            return Problem.BadRequest("invalid_cursor",
                $"`{given.Item1}` ('{shown}') is neither a cursor (the `id` of an entry this stream sent, a whole number) nor the id of an event in this API key's environment. Leave it out to start now, or use 0 to start from the oldest stored event.");
        }

        using var lease = limiter.TryAcquire(user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim) ?? environmentId);
        if (lease is null)
        {
            return Problem.Create(StatusCodes.Status429TooManyRequests, "too_many_streams", "Too many streams",
                "This API key already holds the most event streams allowed at once (AdoBridge:EventStream:MaxStreamsPerKey, default 5). Close one, or use another key.");
        }

        await session.RunAsync(http.Response, new StreamRequest(environmentId, start, connection, filters), ct);
        return TypedResults.Empty;
    }
}
