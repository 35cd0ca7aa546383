using System.Reflection;
using System.Text.Json;
using AdoBridge.Events;
using AdoBridge.Webhooks.Normalization;
using AdoBridge.Webhooks.Subscriptions;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>
/// Which event types an endpoint receives: exact types (`pull_request.created`), a family (`pull_request.*`) or all (`*`).
/// Filters are checked against the known types when they are saved, so a typo fails loudly instead of silently matching nothing.
/// </summary>
internal static class EventFilters
{
    public const string TestEvent = "webhook.test";

    /// <summary>Every event type AdoBridge emits: read from the classes that define them, so a new type is subscribable at once.</summary>
    public static readonly IReadOnlySet<string> KnownTypes = new[] { typeof(LifecycleEvents), typeof(NormalizedEventTypes) }
        .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string)))
        .Select(f => (string)f.GetRawConstantValue()!)
        .Append(SubscriptionHealth.RepairedEvent)
        .Append(TestEvent)
        .ToHashSet(StringComparer.Ordinal);

    private static readonly HashSet<string> KnownPrefixes = KnownTypes.Select(t => t[..t.IndexOf('.', StringComparison.Ordinal)]).ToHashSet(StringComparer.Ordinal);

    /// <summary>Checks filters as given by the product; returns the error for the first bad one, or null.</summary>
    public static string? Validate(IReadOnlyList<string?>? filters)
    {
        if (filters is null || filters.Count == 0)
        {
            return "`events` must list at least one event type, for example [\"pull_request.*\", \"connection.created\"], or [\"*\"] for every event.";
        }

        if (filters.Count > 100)
        {
            return "`events` may hold at most 100 filters; use a family such as \"pull_request.*\" instead of listing each type.";
        }

        for (var i = 0; i < filters.Count; i++)
        {
            var filter = filters[i];
            if (string.IsNullOrWhiteSpace(filter))
            {
                return $"`events[{i}]` is empty: give an event type such as \"pull_request.created\".";
            }

            if (filter == "*" || KnownTypes.Contains(filter))
            {
                continue;
            }

            if (filter.EndsWith(".*", StringComparison.Ordinal) && KnownPrefixes.Contains(filter[..^2]))
            {
                continue;
            }

            return $"`events[{i}]` ('{Shorten(filter)}') is not an event type AdoBridge sends. Use one of {string.Join(", ", KnownTypes.Order(StringComparer.Ordinal))}, " +
                   $"a family such as {string.Join(", ", KnownPrefixes.Order(StringComparer.Ordinal).Select(p => p + ".*"))}, or \"*\".";
        }

        return null;
    }

    public static bool Matches(IReadOnlyList<string> filters, string type)
    {
        foreach (var filter in filters)
        {
            if (filter == "*" || filter == type)
            {
                return true;
            }

            if (filter.EndsWith(".*", StringComparison.Ordinal) && type.Length > filter.Length - 1
                && type.StartsWith(filter.AsSpan(0, filter.Length - 1), StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public static string Serialize(IEnumerable<string> filters) => JsonSerializer.Serialize(filters.Distinct(StringComparer.Ordinal).ToArray());

    public static IReadOnlyList<string> Parse(string stored) => JsonSerializer.Deserialize<string[]>(stored) ?? [];

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..60] + "…";
}
