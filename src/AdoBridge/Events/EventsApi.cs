using System.Security.Claims;
using System.Text.Json;
using AdoBridge.ApiKeys;
using AdoBridge.Problems;
using AdoBridge.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Events;

internal static class EventsApi
{
    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/events", ListAsync).WithTags("Events").WithSummary("Events of this key's environment, oldest first; filter by type and connectionId; page with `cursor`.");
        return v1;
    }

    internal sealed record EventView(string Id, string Type, string? ConnectionId, JsonElement Data, DateTimeOffset CreatedAt);

    internal sealed record EventList(IReadOnlyList<EventView> Items, string? NextCursor);

    private static async Task<Results<Ok<EventList>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, IDbContextFactory<AdoBridgeDbContext> contexts, string? type, string? connectionId, string? cursor, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 500)
        {
            return Problem.BadRequest("invalid_filter", "`limit` must be between 1 and 500 (default 100).");
        }

        var take = limit ?? 100;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var environment = user.EnvironmentId();
        var query = db.Events.AsNoTracking().Where(e => e.EnvironmentId == environment);
        if (type is not null)
        {
            query = query.Where(e => e.Type == type);
        }

        if (connectionId is not null)
        {
            query = query.Where(e => e.ConnectionId == connectionId);
        }

        if (cursor is not null)
        {
            query = query.Where(e => string.Compare(e.Id, cursor) > 0);
        }

        var rows = await query.OrderBy(e => e.Id).Take(take + 1).ToListAsync(ct);
        var items = rows.Take(take).Select(e => new EventView(e.Id, e.Type, e.ConnectionId, JsonDocument.Parse(e.Payload).RootElement.Clone(), e.CreatedAt)).ToList();
        return TypedResults.Ok(new EventList(items, rows.Count > take ? items[^1].Id : null));
    }
}
