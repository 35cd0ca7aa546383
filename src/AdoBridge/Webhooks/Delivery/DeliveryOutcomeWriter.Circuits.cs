using AdoBridge.Storage;

namespace AdoBridge.Webhooks.Delivery;

internal sealed partial class DeliveryOutcomeWriter
{
    /// <summary>
    /// Moves each endpoint's circuit on from the attempts in the batch, in the order they finished. Closed: a failure counts,
    /// and reaching the threshold opens it. Open: only the trial request's result counts (requests already in flight when it
    /// opened do not double the wait again); a failed trial doubles the wait up to the cap. Any success closes it. A 410 Gone
    /// disables the endpoint when <see cref="WebhookDeliveryOptions.DisableEndpointOnGone"/> is on.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "The statement is composed of constant text and parameter names AdoBridge generates; values go in as parameters.")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1849", Justification = "After ReadAsync the row is buffered (not sequential access): IsDBNull reads memory and cannot block.")]
    private async Task<(bool Disabled, DateTimeOffset? EarliestReopen)> UpdateCircuitsAsync(
        AdoBridgeDbContext db, Sql sql, List<CompletedAttempt> batch, WebhookDeliveryOptions o, DateTimeOffset now)
    {
        var ids = batch.Select(b => b.Claim.EndpointId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var current = new Dictionary<string, (int Failures, DateTimeOffset? OpenUntil)>(StringComparer.Ordinal);
        await using (var select = await sql.CommandAsync("", default))
        {
            // FOR UPDATE (in id order, so two writers cannot deadlock) makes concurrent instances count each other's failures.
            select.CommandText = $"SELECT id, consecutive_failures, circuit_open_until FROM webhook_endpoints WHERE id IN {sql.InList(select, "e", ids)} ORDER BY id"
                + (sql.Postgres ? " FOR UPDATE" : "");
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                current[reader.GetString(0)] = (reader.GetInt32(1), reader.IsDBNull(2) ? null : sql.ReadInstant(reader, 2));
            }
        }

        var disabledAny = false;
        DateTimeOffset? earliestReopen = null;
        foreach (var id in ids)
        {
            if (!current.TryGetValue(id, out var before))
            {
                continue; // deleted meanwhile
            }

            var (failures, openUntil) = before;
            var disable = false;
            foreach (var (claim, result) in batch.Where(b => b.Claim.EndpointId == id))
            {
                disable |= result.StatusCode == StatusCodes.Status410Gone && o.DisableEndpointOnGone;
                if (result.Succeeded)
                {
                    (failures, openUntil) = (0, null);
                }
                else if (failures < o.CircuitBreakerThreshold)
                {
                    failures++;
                    if (failures >= o.CircuitBreakerThreshold)
                    {
                        openUntil = now + RetrySchedule.OpenDuration(o, 0);
                        LogCircuitOpened(logger, id, failures, openUntil.Value);
                    }
                }
                else if (claim.IsProbe)
                {
                    failures++;
                    openUntil = now + RetrySchedule.OpenDuration(o, failures - o.CircuitBreakerThreshold);
                    LogCircuitOpened(logger, id, failures, openUntil.Value);
                }
            }

            if (openUntil is { } reopen && reopen > now && (earliestReopen is null || reopen < earliestReopen))
            {
                earliestReopen = reopen;
            }

            if ((failures, openUntil) == before && !disable)
            {
                continue;
            }

            await using var update = await sql.CommandAsync(
                "UPDATE webhook_endpoints SET consecutive_failures = @failures, circuit_open_until = @open" +
                (disable ? ", status = 'disabled', updated_at = @now" : "") + " WHERE id = @id", default);
            sql.Add(update, "@failures", failures);
            sql.Add(update, "@open", openUntil);
            sql.Add(update, "@now", now);
            sql.Add(update, "@id", id);
            await update.ExecuteNonQueryAsync();
            if (disable)
            {
                disabledAny = true;
                LogDisabledOnGone(logger, id);
            }
        }

        return (disabledAny, earliestReopen);
    }

    [LoggerMessage(EventId = 522, Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} failed {Failures} times in a row; its deliveries wait until {OpenUntil:o}, then one trial request goes")]
    private static partial void LogCircuitOpened(ILogger logger, string endpointId, int failures, DateTimeOffset openUntil);

    [LoggerMessage(EventId = 523, Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} answered 410 Gone and was disabled; its deliveries wait until it is enabled again")]
    private static partial void LogDisabledOnGone(ILogger logger, string endpointId);
}
