namespace AdoBridge.Emulator;

/// <summary>Whether a subscription's publisher inputs select an event (empty inputs select everything).</summary>
internal static class HookMatching
{
    public static bool Matches(HookSubscriptionData sub, HookEvent e)
    {
        if (!string.Equals(sub.Organization, e.Organization, StringComparison.OrdinalIgnoreCase) || !string.Equals(sub.EventType, e.EventType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var (name, expected) in sub.PublisherInputs)
        {
            if (!string.IsNullOrWhiteSpace(expected) && !InputMatches(name, expected.Trim(), e))
            {
                return false;
            }
        }

        return true;
    }

    private static bool InputMatches(string name, string expected, HookEvent e)
    {
        if (name.Equals("projectId", StringComparison.OrdinalIgnoreCase))
        {
            return Guid.TryParse(expected, out var project) && project == e.ProjectId;
        }

        var actual = e.Filters.GetValueOrDefault(name);
        return name.ToLowerInvariant() switch
        {
            "branch" => actual is not null && string.Equals(GitStore.NormalizeRef(expected), actual, StringComparison.OrdinalIgnoreCase),
            "areapath" => actual is not null && (string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase) || actual.StartsWith(expected + "\\", StringComparison.OrdinalIgnoreCase)),
            "changedfields" => actual is not null && expected.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Any(f => actual.Split(',').Contains(f, StringComparer.OrdinalIgnoreCase)),
            "tag" => actual is not null && actual.Split(';', StringSplitOptions.TrimEntries).Contains(expected, StringComparer.OrdinalIgnoreCase),
            "pullrequestreviewerscontains" => actual is not null && actual.Split(',').Contains(expected, StringComparer.OrdinalIgnoreCase),
            // Inputs the emulator does not model (e.g. "linksChanged") do not filter.
            _ when !e.Filters.ContainsKey(name) => true,
            _ => string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase),
        };
    }
}
