using System.Globalization;
using AdoBridge.Webhooks.Delivery;
using Microsoft.Extensions.Primitives;

namespace AdoBridge.AdminConsole;

/// <summary>
/// The event log's filter as the console's forms send it (query string or form fields alike), read into the
/// <see cref="EventFilter"/> the API uses and checked by the API's <see cref="EventFilterInput"/>.
/// </summary>
internal sealed record ConsoleEventQuery(
    string? Environment, string? Type, string? ConnectionId, string? Status, string? Since, string? Until, string? Source, string? Search)
{
    public static ConsoleEventQuery Read(IEnumerable<KeyValuePair<string, StringValues>> values) => new(
        ConsolePage.Field(values, "environment"), ConsolePage.Field(values, "type"), ConsolePage.Field(values, "connectionId"), ConsolePage.Field(values, "status"),
        ConsolePage.Field(values, "since"), ConsolePage.Field(values, "until"), ConsolePage.Field(values, "source"),
        // Search keeps its spaces: it is matched as typed.
        values.FirstOrDefault(v => v.Key == "search").Value.ToString() is { Length: > 0 } s && !string.IsNullOrWhiteSpace(s) ? s : null);

    /// <summary>The filter, or what is wrong with it (naming the field and the fix).</summary>
    public (EventFilter? Filter, string? Error) ToFilter(string? cursor, int limit)
    {
        if (!TryTime(Since, out var since))
        {
            return (null, "`since` is not a time: use the picker, or write it as 2026-12-07T09:30 (UTC).");
        }

        if (!TryTime(Until, out var until))
        {
            return (null, "`until` is not a time: use the picker, or write it as 2026-12-07T17:00 (UTC).");
        }

        return EventFilterInput.Check(Type, Status, Source, since, until, Search) is { } error
            ? (null, error)
            : (new EventFilter(Type, ConnectionId, Status, since, until, Source, cursor, limit, Search), null);
    }

    public EventQueryView View(ConsoleEnvironmentScope scope) => new(scope.Environment, Type, ConnectionId, Status, Since, Until, Source, Search, scope.Environments, EventLog.Statuses);

    /// <summary>The query string parameters that repeat this filter, for links.</summary>
    public (string, string?)[] Parameters(string environment) =>
        [("environment", environment), ("type", Type), ("connectionId", ConnectionId), ("status", Status), ("since", Since), ("until", Until), ("source", Source), ("search", Search)];

    private static bool TryTime(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (text is null)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }
}
