namespace AdoBridge.Emulator;

/// <summary>Answers a query FROM WorkItemLinks as the service does: workItemRelations of {rel, source, target}, each
/// source first as a row of its own (rel and source null), then its links. MustContain keeps sources with a matching
/// link, MayContain every matching source, DoesNotContain sources without one; Recursive walks the hierarchy
/// (System.LinkTypes.Hierarchy-Forward) depth first from sources that are not children of another match.</summary>
internal static class WiqlLinkResults
{
    public const string HierarchyForward = "System.LinkTypes.Hierarchy-Forward";

    public static List<(string? Rel, WorkItemData? Source, WorkItemData Target)> Evaluate(WiqlQuery query, WiqlEvaluator evaluator, IReadOnlyList<WorkItemData> items, Comparison<WorkItemData> order)
    {
        var byId = items.ToDictionary(w => w.Id);
        var links = Links(items, byId);
        var where = query.Where;
        bool Source(WorkItemData w) => where is null || evaluator.MatchesEnd(where, w, "Source");
        bool Target(WorkItemData w) => where is null || evaluator.MatchesEnd(where, w, "Target");
        bool Link(string rel) => where is null || WiqlEvaluator.MatchesLink(where, rel);

        var sources = items.Where(Source).ToList();
        sources.Sort(order);
        var rows = new List<(string?, WorkItemData?, WorkItemData)>();
        if (query.Mode == "Recursive")
        {
            var children = new Dictionary<int, List<WorkItemData>>();
            foreach (var (from, rel, to) in links.Where(l => l.Rel == HierarchyForward))
            {
                (children.TryGetValue(from, out var list) ? list : children[from] = []).Add(byId[to]);
            }

            var matchedChildren = sources.SelectMany(s => children.GetValueOrDefault(s.Id) ?? []).Where(Target).Select(c => c.Id).ToHashSet();
            foreach (var root in sources.Where(s => !matchedChildren.Contains(s.Id)))
            {
                rows.Add((null, null, root));
                Walk(root, new HashSet<int> { root.Id });
            }

            void Walk(WorkItemData parent, HashSet<int> seen)
            {
                var kids = (children.GetValueOrDefault(parent.Id) ?? []).Where(Target).ToList();
                kids.Sort(order);
                foreach (var child in kids.Where(k => seen.Add(k.Id)))
                {
                    rows.Add((HierarchyForward, parent, child));
                    Walk(child, seen);
                }
            }

            return rows;
        }

        foreach (var source in sources)
        {
            var matching = links.Where(l => l.From == source.Id && Link(l.Rel) && Target(byId[l.To])).ToList();
            var keep = query.Mode switch
            {
                "MayContain" => true,
                "DoesNotContain" => matching.Count == 0,
                _ => matching.Count > 0,
            };
            if (!keep)
            {
                continue;
            }

            rows.Add((null, null, source));
            if (query.Mode != "DoesNotContain")
            {
                rows.AddRange(matching.Select(l => ((string?)l.Rel, (WorkItemData?)source, byId[l.To])));
            }
        }

        return rows;
    }

    /// <summary>Every work-item link in both directions: a relation stored on one end (A Hierarchy-Reverse B) is also
    /// the other end's (B Hierarchy-Forward A), as the service keeps links on both work items.</summary>
    private static List<(int From, string Rel, int To)> Links(IReadOnlyList<WorkItemData> items, Dictionary<int, WorkItemData> byId)
    {
        var result = new HashSet<(int, string, int)>();
        foreach (var item in items)
        {
            foreach (var relation in item.Relations)
            {
                var rel = DevOpsJson.Text(relation["rel"]);
                var url = DevOpsJson.Text(relation["url"]);
                if (rel is null || !rel.StartsWith("System.LinkTypes.", StringComparison.Ordinal) || url is null
                    || !int.TryParse(url[(url.LastIndexOf('/') + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var other)
                    || !byId.ContainsKey(other))
                {
                    continue;
                }

                result.Add((item.Id, rel, other));
                result.Add((other, Reverse(rel), item.Id));
            }
        }

        return result.OrderBy(l => l.Item1).ThenBy(l => l.Item3).ToList();
    }

    public static string Reverse(string rel) =>
        rel.EndsWith("-Forward", StringComparison.Ordinal) ? rel[..^"Forward".Length] + "Reverse"
        : rel.EndsWith("-Reverse", StringComparison.Ordinal) ? rel[..^"Reverse".Length] + "Forward"
        : rel;
}
