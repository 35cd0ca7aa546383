using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>A delivery to create: this event to this endpoint; <see cref="Leased"/> when this instance's sender has room for it now.</summary>
internal sealed record NewDelivery(string EventId, string EnvironmentId, string EndpointId)
{
    public bool Leased { get; set; }
}

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

    /// <summary>
    /// Inserts deliveries due now; one that already exists for the event and endpoint is left as it is. Rows marked
    /// <see cref="NewDelivery.Leased"/> are stored leased to <paramref name="lease"/>'s owner (ingest hands them straight to
    /// this instance's sender). Returns the new ids, in the order of <paramref name="rows"/>.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "The statement is composed of constant text and parameter names AdoBridge generates; values go in as parameters.")]
    public static async Task<string[]> InsertAsync(
        Sql sql, IReadOnlyList<NewDelivery> rows, DateTimeOffset now, TimeProvider clock, CancellationToken ct, (string Owner, DateTimeOffset Until)? lease = null)
    {
        var ids = new string[rows.Count];
        for (var start = 0; start < rows.Count; start += 200)
        {
            var count = Math.Min(200, rows.Count - start);
            await using var insert = await sql.CommandAsync("", ct);
            var values = new List<string>(count);
            for (var i = 0; i < count; i++)
            {
                var row = rows[start + i];
                ids[start + i] = Ids.New("dlv", clock);
                values.Add(row.Leased && lease is not null
                    ? $"(@i{i}, @v{i}, @e{i}, @p{i}, 'pending', 0, @now, @now, @owner, @until)"
                    : $"(@i{i}, @v{i}, @e{i}, @p{i}, 'pending', 0, @now, @now, NULL, NULL)");
                sql.Add(insert, $"@i{i}", ids[start + i]);
                sql.Add(insert, $"@v{i}", row.EnvironmentId);
                sql.Add(insert, $"@e{i}", row.EventId);
                sql.Add(insert, $"@p{i}", row.EndpointId);
            }

            sql.Add(insert, "@now", now);
            sql.Add(insert, "@owner", lease?.Owner);
            sql.Add(insert, "@until", lease?.Until);
            insert.CommandText = "INSERT INTO deliveries (id, environment_id, event_id, endpoint_id, status, attempts, next_attempt_at, created_at, lease_owner, lease_until) VALUES "
                + string.Join(", ", values) + " ON CONFLICT (event_id, endpoint_id) DO NOTHING";
            await insert.ExecuteNonQueryAsync(ct);
        }

        return ids;
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
