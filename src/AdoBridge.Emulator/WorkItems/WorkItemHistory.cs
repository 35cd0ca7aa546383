using System.Text.Json.Nodes;

namespace AdoBridge.Emulator;

/// <summary>Revisions of a work item and the updates between them (field old/new values, relations added and removed).</summary>
internal static class WorkItemHistory
{
    /// <summary>The service's revisedDate of the newest revision: it has not been revised yet.</summary>
    private static readonly DateTime Unrevised = new(9999, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Saves the item's current state as a revision; a seeded item without history first gets its previous state.</summary>
    public static void Record(EmulatorData data, WorkItemData item, Guid by, DateTimeOffset at, JsonObject? before = null, List<JsonObject>? beforeRelations = null)
    {
        if (item.Revisions.Count == 0 && before is not null)
        {
            item.Revisions.Add(Snapshot(item.Rev - 1, before, beforeRelations ?? [], ChangedBy(data, before) ?? by, Date(before, "System.ChangedDate") ?? at));
        }

        item.Revisions.Add(Snapshot(item.Rev, item.Fields, item.Relations, by, at));
    }

    /// <summary>The stored revisions, or the current state as the only one for an item that never changed here.</summary>
    public static IReadOnlyList<WorkItemRevisionData> Revisions(EmulatorData data, WorkItemData item) =>
        item.Revisions.Count > 0
            ? item.Revisions
            : [Snapshot(item.Rev, item.Fields, item.Relations, ChangedBy(data, item.Fields) ?? Guid.Empty, Date(item.Fields, "System.ChangedDate") ?? DateTimeOffset.UnixEpoch)];

    public static Dictionary<string, object?> Update(DevOpsCall call, EmulatorData data, WorkItemData item, IReadOnlyList<WorkItemRevisionData> revisions, int index)
    {
        var revision = revisions[index];
        var previous = index > 0 ? revisions[index - 1] : null;
        var fields = new Dictionary<string, object?>();
        foreach (var name in revision.Fields.Select(f => f.Key).Union(previous?.Fields.Select(f => f.Key) ?? []).Order(StringComparer.Ordinal))
        {
            var oldValue = previous?.Fields[name];
            var newValue = revision.Fields[name];
            if (JsonNode.DeepEquals(oldValue, newValue) && name != "System.History")
            {
                continue;
            }

            if (name == "System.History" && previous is not null && newValue is null)
            {
                continue;
            }

            fields[name] = new Dictionary<string, object?>
            {
                ["oldValue"] = oldValue is null ? null : WorkItemJson.Value(call, data, name, oldValue),
                ["newValue"] = newValue is null ? null : WorkItemJson.Value(call, data, name, newValue),
            };
        }

        var before = previous?.Relations.Select(r => r.ToJsonString()).ToHashSet() ?? [];
        var after = revision.Relations.Select(r => r.ToJsonString()).ToHashSet();
        var added = revision.Relations.Where(r => !before.Contains(r.ToJsonString())).Select(r => r.DeepClone()).ToArray();
        var removed = previous?.Relations.Where(r => !after.Contains(r.ToJsonString())).Select(r => r.DeepClone()).ToArray() ?? [];
        var revisedBy = DevOpsJson.Identity(call, data, revision.RevisedBy);
        if (data.Users.FirstOrDefault(u => u.Id == revision.RevisedBy) is { } user)
        {
            revisedBy["name"] = WorkItemFields.IdentityText(user);
        }

        return new Dictionary<string, object?>
        {
            ["id"] = index + 1,
            ["workItemId"] = item.Id,
            ["rev"] = revision.Rev,
            ["revisedBy"] = revisedBy,
            ["revisedDate"] = index + 1 < revisions.Count ? DevOpsJson.Iso(revisions[index + 1].RevisedDate) : Unrevised,
            ["fields"] = fields.Count == 0 ? null : fields,
            ["relations"] = added.Length == 0 && removed.Length == 0 ? null : new Dictionary<string, object?>
            {
                ["added"] = added.Length == 0 ? null : added,
                ["removed"] = removed.Length == 0 ? null : removed,
            },
            ["url"] = $"{WorkItemJson.Url(call.OrgUrl, item.Id)}/updates/{index + 1}",
        };
    }

    public static Dictionary<string, object?> Revision(DevOpsCall call, EmulatorData data, WorkItemData item, WorkItemRevisionData revision, string? expand)
    {
        var snapshot = new WorkItemData { Id = item.Id, Organization = item.Organization, ProjectId = item.ProjectId, Rev = revision.Rev, Fields = revision.Fields, Relations = revision.Relations };
        var json = WorkItemJson.WorkItem(call, data, snapshot, expand: expand);
        json.Remove("commentVersionRef");
        json["url"] = $"{WorkItemJson.Url(call.OrgUrl, item.Id)}/revisions/{revision.Rev}";
        return json;
    }

    private static WorkItemRevisionData Snapshot(int rev, JsonObject fields, List<JsonObject> relations, Guid by, DateTimeOffset at) => new()
    {
        Rev = rev,
        Fields = WorkItemJson.Clone(fields),
        Relations = relations.Select(r => (JsonObject)r.DeepClone()).ToList(),
        RevisedBy = by,
        RevisedDate = at,
    };

    private static Guid? ChangedBy(EmulatorData data, JsonObject fields) => WorkItemFields.ResolveIdentity(data, DevOpsJson.Text(fields["System.ChangedBy"]))?.Id;

    private static DateTimeOffset? Date(JsonObject fields, string name) =>
        DateTimeOffset.TryParse(DevOpsJson.Text(fields[name]), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var d) ? d : null;
}
