using System.Globalization;

namespace AdoBridge.Actions;

/// <summary>Work item ids from the query string, and their split into Azure DevOps' batch size.</summary>
internal static class WorkItemIds
{
    /// <summary>Azure DevOps' limit for one workitemsbatch call.</summary>
    public const int BatchSize = 200;

    /// <summary>How many ids one typed call accepts (five Azure DevOps calls).</summary>
    public const int MaxIds = 1000;

    /// <summary>"1,2,3" as distinct ids in their first order; null when any part is not a positive integer.</summary>
    public static List<int>? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var ids = new List<int>();
        var seen = new HashSet<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            {
                return null;
            }

            if (seen.Add(id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>Consecutive batches of at most <paramref name="size"/> ids, in order.</summary>
    public static IEnumerable<int[]> Split(IReadOnlyList<int> ids, int size = BatchSize) => ids.Chunk(size);
}
