using System.Threading.Channels;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>A finished attempt waiting to be recorded.</summary>
internal sealed record CompletedAttempt(ClaimedDelivery Claim, AttemptResult Result);

/// <summary>
/// Records finished attempts in batches (one transaction for all that finished together, so a burst does not cost one
/// commit per delivery): the attempt row, the delivery's next state (succeeded, retry at, or dead), and the endpoint's
/// circuit, which lives in the database so every instance sees it. Runs inside the lease margin: a lease is only
/// released by this write, so until then no other instance can send the delivery again.
/// </summary>
internal sealed partial class DeliveryOutcomeWriter(
    IDbContextFactory<AdoBridgeDbContext> contexts,
    SqliteWriteGate writers,
    EndpointDirectory directory,
    IOptionsMonitor<WebhookDeliveryOptions> options,
    TimeProvider clock,
    ILogger<DeliveryOutcomeWriter> logger)
{
    private const int MaxBatch = 256;

    private const string InsertAttempt = """
        INSERT INTO delivery_attempts (id, delivery_id, event_id, endpoint_id, attempt, started_at, duration_ms, status_code, outcome, error, response_body)
        VALUES (@id, @delivery, @event, @endpoint, @attempt, @started, @duration, @code, @outcome, @error, @body)
        """;

    // Only while this instance holds the lease: a delivery whose lease ran out and was taken over is the new owner's to record.
    private const string UpdateDelivery = """
        UPDATE deliveries SET status = @status, attempts = @attempts, next_attempt_at = COALESCE(@next, next_attempt_at),
            lease_owner = NULL, lease_until = NULL, last_status_code = @code, last_error = @error, completed_at = @completed
        WHERE id = @id AND lease_owner = @owner
        """;
    private readonly Channel<CompletedAttempt> queue = Channel.CreateUnbounded<CompletedAttempt>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Called after each write with the earliest time something it scheduled becomes due (a retry, a circuit's trial).</summary>
    public Action<DateTimeOffset>? Scheduled { get; set; }

    public void Enqueue(CompletedAttempt attempt) => queue.Writer.TryWrite(attempt);

    /// <summary>Stops taking attempts; <see cref="RunAsync"/> returns once the queue is written.</summary>
    public void Complete() => queue.Writer.TryComplete();

    public async Task RunAsync(string owner)
    {
        var batch = new List<CompletedAttempt>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            for (var tries = 1; ; tries++)
            {
                try
                {
                    await WriteAsync(owner, batch);
                    break;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    if (tries == 3)
                    {
                        // The leases run out and the deliveries are sent again: at least once, never lost.
                        LogWriteDropped(logger, batch.Count, e.GetType().Name);
                        break;
                    }

                    LogWriteRetried(logger, e.GetType().Name);
                    await Task.Delay(TimeSpan.FromSeconds(tries), clock);
                }
            }
        }
    }

    private async Task WriteAsync(string owner, List<CompletedAttempt> batch)
    {
        var o = options.CurrentValue;
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync();
        var sql = new Sql(db);
        using var turn = await writers.EnterAsync(!sql.Postgres, default);
        await using var tx = await db.Database.BeginTransactionAsync();
        DateTimeOffset? earliest = null;
        var statements = new List<(string, Action<Action<string, object?>>)>(batch.Count * 2);
        foreach (var (claim, result) in batch)
        {
            var attempt = claim.Attempts + 1;
            var next = result.Succeeded ? null : RetrySchedule.Next(o, attempt, now);
            if (next is not null && (earliest is null || next < earliest))
            {
                earliest = next;
            }

            var status = result.Succeeded ? DeliveryStatus.Succeeded : next is null ? DeliveryStatus.Dead : DeliveryStatus.Pending;
            var attemptId = Ids.New("att", clock);
            statements.Add((InsertAttempt, add =>
            {
                add("@id", attemptId);
                add("@delivery", claim.Id);
                add("@event", claim.EventId);
                add("@endpoint", claim.EndpointId);
                add("@attempt", attempt);
                add("@started", result.StartedAt);
                add("@duration", result.DurationMs);
                add("@code", result.StatusCode);
                add("@outcome", result.Outcome);
                add("@error", result.Error);
                add("@body", result.ResponseExcerpt);
            }));
            statements.Add((UpdateDelivery, add =>
            {
                add("@status", status);
                add("@attempts", attempt);
                add("@next", next);
                add("@code", result.StatusCode);
                add("@error", result.Error);
                add("@completed", status == DeliveryStatus.Pending ? null : now);
                add("@id", claim.Id);
                add("@owner", owner);
            }));
        }

        await sql.RunAllAsync(statements, default);
        var circuits = await UpdateCircuitsAsync(db, sql, batch, o, now);
        await tx.CommitAsync();
        if (circuits.Disabled)
        {
            directory.Invalidate();
        }

        var wake = circuits.EarliestReopen is { } reopen && (earliest is null || reopen < earliest) ? reopen : earliest;
        if (wake is not null)
        {
            Scheduled?.Invoke(wake.Value);
        }
    }

    [LoggerMessage(EventId = 520, Level = LogLevel.Warning, Message = "Recording webhook delivery attempts failed ({ExceptionType}); retrying")]
    private static partial void LogWriteRetried(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 521, Level = LogLevel.Error, Message = "Gave up recording {Count} webhook delivery attempts ({ExceptionType}); their leases expire and they are sent again")]
    private static partial void LogWriteDropped(ILogger logger, int count, string exceptionType);
}
