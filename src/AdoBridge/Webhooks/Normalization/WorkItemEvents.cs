using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdoBridge.Webhooks.Normalization;

/// <summary>workitem.created / .updated / .deleted / .restored / .commented as work_item.* events.</summary>
/// <remarks>
/// Created, deleted, restored and commented send the work item itself ({id, rev, fields, url}). Updated sends the update:
/// its own id, the work item's id in workItemId (0 in Microsoft's sample, so revision.id is the fallback), the changed
/// fields as {field: {oldValue, newValue}} and the item after the change in revision. The newer published updated sample
/// is a copy of the work item shape instead; it is read as an update with no changed fields rather than refused.
/// </remarks>
internal static class WorkItemEvents
{
    public static NormalizedEvent? Normalize(in HookInput input, out string? error)
    {
        var resource = input.Resource;
        var isUpdate = input.Type == NormalizedEventTypes.WorkItemUpdated;
        var hasRevision = HookJson.TryObject(resource, "revision", out var revision);
        var id = isUpdate
            ? HookJson.Long(resource, "workItemId") is > 0 and var workItemId ? workItemId : hasRevision ? HookJson.Long(revision, "id") : HookJson.Long(resource, "id")
            : HookJson.Long(resource, "id");
        if (id is null)
        {
            error = input.Missing(isUpdate ? "workItemId (nor revision.id)" : "work item id");
            return null;
        }

        // Current values: the revision after an update, the resource's own fields otherwise.
        HookJson.TryObject(hasRevision ? revision : resource, "fields", out var current);
        HookJson.TryObject(resource, "fields", out var sent);
        var changedFields = isUpdate ? ChangedFields(sent) : null;
        var url = HookJson.Str(resource, "_links", "parent", "href") ?? ItemUrl(HookJson.Str(resource, "url"));
        var workItem = new JsonObject
        {
            ["id"] = id,
            ["rev"] = HookJson.Long(resource, "rev") ?? HookJson.Long(revision, "rev"),
            ["workItemType"] = Field(current, changedFields, "System.WorkItemType"),
            ["title"] = Field(current, changedFields, "System.Title"),
            ["state"] = Field(current, changedFields, "System.State"),
            ["areaPath"] = Field(current, changedFields, "System.AreaPath"),
            ["iterationPath"] = Field(current, changedFields, "System.IterationPath"),
            ["assignedTo"] = Field(current, changedFields, "System.AssignedTo"),
            ["url"] = url,
        };
        if (HookJson.Str(resource, "_links", "html", "href") is { } webUrl)
        {
            workItem["webUrl"] = webUrl;
        }

        var data = new JsonObject { ["workItem"] = workItem };
        if (isUpdate)
        {
            data["changedFields"] = changedFields;
            data["revisedBy"] = HookJson.Identity(resource, "revisedBy");
            data["revisedDate"] = HookJson.Str(resource, "revisedDate");
        }
        else if (input.Type == NormalizedEventTypes.WorkItemCommented)
        {
            // The notification carries the new comment as the System.History field of the commented revision.
            data["comment"] = new JsonObject
            {
                ["text"] = DisplayText(current, "System.History"),
                ["commentedBy"] = DisplayText(current, "System.ChangedBy"),
            };
        }

        var projectName = Field(current, changedFields, "System.TeamProject");
        error = null;
        return input.Event(input.Organization(url, HookJson.Str(resource, "url")), input.ContainerProjectId, projectName, null, null, data);
    }

    /// <summary>{field: {oldValue, newValue}} for every sent field shaped as a change; a side that was not sent is null.</summary>
    private static JsonObject ChangedFields(JsonElement fields)
    {
        var changes = new JsonObject();
        if (fields.ValueKind != JsonValueKind.Object)
        {
            return changes;
        }

        foreach (var field in fields.EnumerateObject())
        {
            var value = field.Value;
            var hasOld = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("oldValue", out _);
            var hasNew = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("newValue", out _);
            if (hasOld || hasNew)
            {
                changes[field.Name] = new JsonObject
                {
                    ["oldValue"] = hasOld ? HookJson.Copy(value.GetProperty("oldValue")) : null,
                    ["newValue"] = hasNew ? HookJson.Copy(value.GetProperty("newValue")) : null,
                };
            }
        }

        return changes;
    }

    /// <summary>A field's value after the event as display text: the new value of a change, else the current value.</summary>
    private static string? Field(JsonElement current, JsonObject? changes, string name)
    {
        if (changes?[name] is JsonObject change && change["newValue"] is JsonValue newValue)
        {
            return newValue.TryGetValue<string>(out var text) ? text : newValue.ToJsonString();
        }

        return DisplayText(current, name);
    }

    /// <summary>Identity fields are "Name &lt;email&gt;" strings in resource version 1.0 and {displayName, …} objects in
    /// later ones; either reads as text.</summary>
    private static string? DisplayText(JsonElement fields, string name)
    {
        if (fields.ValueKind != JsonValueKind.Object || !fields.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            JsonValueKind.Object => HookJson.Str(value, "displayName") ?? HookJson.Str(value, "uniqueName"),
            _ => null,
        };
    }

    /// <summary>…/workItems/5/updates/2 → …/workItems/5, for an update that does not link its parent; other URLs as they are.</summary>
    private static string? ItemUrl(string? updateUrl)
    {
        var at = updateUrl?.LastIndexOf("/updates/", StringComparison.OrdinalIgnoreCase) ?? -1;
        return at > 0 ? updateUrl![..at] : updateUrl;
    }
}
