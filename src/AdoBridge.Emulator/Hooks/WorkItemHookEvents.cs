using System.Text.Json.Nodes;

namespace AdoBridge.Emulator;

/// <summary>Builds workitem.created / updated (changed fields with old and new values) / deleted / restored / commented.</summary>
internal static class WorkItemHookEvents
{
    public static HookEvent Simple(DevOpsCall call, EmulatorData data, WorkItemData item, string eventType, string verb)
    {
        var resource = WorkItemJson.EventResource(call, item);
        return Build(call, data, item, eventType, verb, resource, changedFields: null);
    }

    public static HookEvent Updated(DevOpsCall call, EmulatorData data, WorkItemData item, JsonObject before)
    {
        var changes = new Dictionary<string, object?>();
        foreach (var name in before.Select(p => p.Key).Union(item.Fields.Select(p => p.Key)).Distinct(StringComparer.Ordinal))
        {
            var oldValue = before[name];
            var newValue = item.Fields[name];
            if (!JsonNode.DeepEquals(oldValue, newValue))
            {
                changes[name] = new Dictionary<string, object?> { ["oldValue"] = oldValue?.DeepClone(), ["newValue"] = newValue?.DeepClone() };
            }
        }

        var url = WorkItemJson.Url(call.OrgUrl, item.Id);
        var revisedBy = DevOpsJson.Identity(call, data, call.Caller.Id);
        revisedBy["name"] = WorkItemFields.ResolveIdentity(data, call.Caller.Id.ToString()) is { } u ? WorkItemFields.IdentityText(u) : call.Caller.DisplayName;
        var resource = new Dictionary<string, object?>
        {
            ["id"] = item.Rev,
            ["workItemId"] = item.Id,
            ["rev"] = item.Rev,
            ["revisedBy"] = revisedBy,
            ["revisedDate"] = DevOpsJson.Iso(call.Now),
            ["fields"] = changes,
            ["_links"] = new Dictionary<string, object>
            {
                ["self"] = DevOpsJson.Href($"{url}/updates/{item.Rev}"),
                ["workItemUpdates"] = DevOpsJson.Href($"{url}/updates"),
                ["parent"] = DevOpsJson.Href(url),
            },
            ["url"] = $"{url}/updates/{item.Rev}",
            ["revision"] = WorkItemJson.EventResource(call, item),
        };
        return Build(call, data, item, "workitem.updated", "updated", resource, string.Join(',', changes.Keys));
    }

    private static HookEvent Build(DevOpsCall call, EmulatorData data, WorkItemData item, string eventType, string verb, object resource, string? changedFields)
    {
        var type = DevOpsJson.Text(item.Fields["System.WorkItemType"]) ?? "Work Item";
        var title = DevOpsJson.Text(item.Fields["System.Title"]);
        var who = GitHookEvents.Name(data, call.Caller.Id);
        var link = $"{call.OrgUrl}/web/wi.aspx?pcguid={call.Org.Id}&id={item.Id}";
        var text = $"{type} #{item.Id} ({title}) {verb} by {who}.";
        var message = new HookMessage(
            $"{text}\r\n({link})",
            $"<a href=\"{link}\">{System.Net.WebUtility.HtmlEncode(type)} #{item.Id}</a> ({System.Net.WebUtility.HtmlEncode(title)}) {verb} by {System.Net.WebUtility.HtmlEncode(who)}.",
            $"[{type} #{item.Id}]({link}) ({title}) {verb} by {who}.");
        return new HookEvent(eventType, call.Org.Name, call.Org.Id, item.ProjectId, call.OrgUrl, message, message, resource)
        {
            Filters =
            {
                ["workItemType"] = type,
                ["areaPath"] = DevOpsJson.Text(item.Fields["System.AreaPath"]),
                ["tag"] = DevOpsJson.Text(item.Fields["System.Tags"]),
                ["changedFields"] = changedFields,
            },
        };
    }
}
