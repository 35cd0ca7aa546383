using System.ComponentModel;
using AdoBridge.Storage;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>Checks an event filter as a caller gives it; the API and the console both refuse with these messages.</summary>
internal static class EventFilterInput
{
    /// <summary>What is wrong with the filter, naming the field and the fix, or null when it is usable.</summary>
    public static string? Check(string? type, string? status, string? source, DateTimeOffset? since, DateTimeOffset? until, string? search)
    {
        if (status is not null && !EventLog.Statuses.Contains(status))
        {
            return $"`status` must be one of: {string.Join(", ", EventLog.Statuses)}.";
        }

        if (type is "*" or ".*" || (type is not null && type.EndsWith(".*", StringComparison.Ordinal) && type.Length < 3))
        {
            return "`type` is an event type (pull_request.created) or a family (pull_request.*); leave it out for every type.";
        }

        if (source is not null && source is not (EventSources.AdoBridge or EventSources.AzureDevOps))
        {
            return $"`source` must be '{EventSources.AdoBridge}' (lifecycle events) or '{EventSources.AzureDevOps}' (service hooks).";
        }

        if (since is not null && until is not null && since > until)
        {
            return "`since` is after `until`: swap them, or leave one out.";
        }

        return search is { Length: > EventLog.MaxSearchLength }
            ? $"`search` is longer than {EventLog.MaxSearchLength} characters: search for a shorter, distinctive part of the payload (an id, a branch, a title)."
            : null;
    }
}

/// <summary>
/// One step of a bulk replay: the filter, where the previous step ended, and the newest event the run covers. The
/// first step (no `through`) counts what the filter matches; with `dryRun` it only counts.
/// </summary>
internal sealed record BulkReplayRequest(
    [property: Description("An event type (`pull_request.created`) or a family (`pull_request.*`).")] string? Type,
    [property: Description("Only events of this connection.")] string? ConnectionId,
    [property: Description("Only events whose deliveries are in this state: pending, delivered, failed, dead or none.")] string? Status,
    [property: Description("Only events at or after this time.")] DateTimeOffset? Since,
    [property: Description("Only events before this time.")] DateTimeOffset? Until,
    [property: Description("Only events from this source: adobridge or azure_devops.")] string? Source,
    [property: Description("Only events whose data or raw Azure DevOps payload contains this text (case-sensitive).")] string? Search,
    [property: Description("The newest event this run covers: the previous step's `through`. Omit on the first step.")] string? Through,
    [property: Description("Where the previous step ended: its `nextCursor`. Omit on the first step.")] string? Cursor,
    [property: Description("At most this many events in this step (1 to 1000; default 500).")] int? Limit,
    [property: Description("Only count what the filter matches; replay nothing.")] bool? DryRun);

/// <summary>
/// What a bulk replay step did: `matched` (first step only) is how many events the run covers, `replayed` how many this
/// step sent again; call again with `through` and `nextCursor` until `nextCursor` is null. Stopping is cancelling.
/// </summary>
internal sealed record BulkReplayStep(int? Matched, int Replayed, string? Through, string? NextCursor);
