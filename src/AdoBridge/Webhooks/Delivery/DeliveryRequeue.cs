using AdoBridge.Events;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>A delivery to create: this event to this endpoint.</summary>
internal sealed record NewDelivery(string EventId, string EnvironmentId, string EndpointId);

/// <summary>Creating and re-queueing deliveries, shared by the endpoint API, the event log's replay and tests.</summary>
internal static class DeliveryRequeue
{
    public static DeliveryEntity NewDelivery(EventEntity e, string endpointId, DateTimeOffset now, TimeProvider clock) => new()
    {
        Id = Ids.New("dlv", clock),
        EnvironmentId = e.EnvironmentId,
        EventId = e.Id,
        EndpointId = endpointId,
        Status = DeliveryStatus.Pending,
        NextAttemptAt = now,
        CreatedAt = now,
    };

    /// <summary>Inserts deliveries due now; one that already exists for the event and endpoint is left as it is.</summary>
    public static async Task InsertAsync(Sql sql, IReadOnlyList<NewDelivery> rows, DateTimeOffset now, TimeProvider clock, CancellationToken ct)
    {
        foreach (var chunk in rows.Chunk(200))
        {
            await using var insert = await sql.CommandAsync("", ct);
            var values = new List<string>(chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
            {
                values.Add($"(@i{i}, @v{i}, @e{i}, @p{i}, 'pending', 0, @now, @now)");
                sql.Add(insert, $"@i{i}", Ids.New("dlv", clock));
                sql.Add(insert, $"@v{i}", chunk[i].EnvironmentId);
                sql.Add(insert, $"@e{i}", chunk[i].EventId);
                sql.Add(insert, $"@p{i}", chunk[i].EndpointId);
            }

            sql.Add(insert, "@now", now);
            insert.CommandText = "INSERT INTO deliveries (id, environment_id, event_id, endpoint_id, status, attempts, next_attempt_at, created_at) VALUES "
                + string.Join(", ", values) + " ON CONFLICT (event_id, endpoint_id) DO NOTHING";
            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// Makes the deliveries due now with a fresh retry schedule (attempt numbers start again at 1; earlier attempts stay in
    /// the log). A delivery in flight keeps its lease, so this never causes a second concurrent send of it.
    /// </summary>
    public static Task<int> RequeueAsync(IQueryable<DeliveryEntity> deliveries, DateTimeOffset now, CancellationToken ct)
        => deliveries.ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, DeliveryStatus.Pending)
            .SetProperty(d => d.Attempts, 0)
            .SetProperty(d => d.NextAttemptAt, now)
            .SetProperty(d => d.CompletedAt, (DateTimeOffset?)null), ct);
}
