using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdoBridge.Webhooks.Normalization;

/// <summary>workitem.created / .updated / .deleted / .restored / .commented as work_item.* events.</summary>
/// <remarks>
/// Created, deleted, restored and commented send the work item itself ({id, rev, fields, url}). Updated sends the update:
/// its own id, the work item's id in workItemId (0 in Microsoft's sample, so revision.id is the fallback), the changed
/// fields as {field: {oldValue, newValue}} and the item after the change in revision. The newer published updated sample
/// is a copy of the work item shape instead; it is read as an update whose changed fields are those every revision sets
/// (changedFieldsComplete false). Every work-item event names its actor and the work item's revision.
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
        var complete = changedFields is { Count: > 0 };
        if (isUpdate && !complete)
        {
            // The update carries no old/new values (the newer published sample is a copy of the work item): what every
            // revision sets is still known, from the fields it shows.
            changedFields = RevisionFields(current);
        }

        var url = HookJson.Str(resource, "_links", "parent", "href") ?? ItemUrl(HookJson.Str(resource, "url"));
        var workItem = new JsonObject
        {
            ["id"] = id,
            ["rev"] = HookJson.Long(resource, "rev") ?? HookJson.Long(revision, "rev") ?? Number(current, "System.Rev"),
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

        // Who did it: the update's revisedBy, else the revision's System.ChangedBy; for a new item, its creator.
        var changedBy = (isUpdate ? RevisedBy(resource) : null)
            ?? (input.Type == NormalizedEventTypes.WorkItemCreated ? IdentityField(current, changedFields, "System.CreatedBy") : null)
            ?? IdentityField(current, changedFields, "System.ChangedBy");
        var changedDate = Field(current, changedFields, "System.ChangedDate") ?? RealDate(HookJson.Str(resource, "revisedDate"));
        var data = new JsonObject { ["workItem"] = workItem, ["actor"] = changedBy, ["changedDate"] = changedDate };
        if (isUpdate)
        {
            data["changedFields"] = changedFields;
            data["changedFieldsComplete"] = complete;
            data["revisedBy"] = changedBy?.DeepClone();
            data["revisedDate"] = changedDate;
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

    /// <summary>Fields every revision sets (its number, when, by whom), as {oldValue: null, newValue} from the values shown.</summary>
    private static JsonObject RevisionFields(JsonElement current)
    {
        var changes = new JsonObject();
        if (current.ValueKind != JsonValueKind.Object)
        {
            return changes;
        }

        foreach (var name in (ReadOnlySpan<string>)["System.Rev", "System.AuthorizedDate", "System.RevisedDate", "System.ChangedDate", "System.ChangedBy", "System.AuthorizedAs", "System.Watermark"])
        {
            if (current.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            {
                changes[name] = new JsonObject { ["oldValue"] = null, ["newValue"] = HookJson.Copy(value) };
            }
        }

        return changes;
    }

    /// <summary>The update's revisedBy when it names someone (Microsoft's sample sends null).</summary>
    private static JsonObject? RevisedBy(JsonElement resource)
        => HookJson.TryObject(resource, "revisedBy", out var who) && (HookJson.Str(who, "id") ?? HookJson.Str(who, "displayName") ?? HookJson.Str(who, "name")) is not null
            ? HookJson.Identity(who)
            : null;

    /// <summary>An identity field as {id, displayName, uniqueName}: an identity object in resource version 1.0's newer
    /// payloads, a "Name &lt;email&gt;" string in older ones (the new value when the update changed it).</summary>
    private static JsonObject? IdentityField(JsonElement current, JsonObject? changes, string name)
    {
        if (changes?[name] is JsonObject change && change["newValue"] is { } newValue)
        {
            return newValue switch
            {
                JsonObject o => new JsonObject { ["id"] = o["id"]?.DeepClone(), ["displayName"] = o["displayName"]?.DeepClone(), ["uniqueName"] = o["uniqueName"]?.DeepClone() },
                JsonValue v when v.TryGetValue<string>(out var text) => FromText(text),
                _ => null,
            };
        }

        if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Object => HookJson.Identity(value),
            JsonValueKind.String => FromText(value.GetString()!),
            _ => null,
        };

        static JsonObject? FromText(string text)
        {
            if (text.Length == 0)
            {
                return null;
            }

            var open = text.LastIndexOf('<');
            return open > 0 && text.EndsWith('>')
                ? new JsonObject { ["id"] = null, ["displayName"] = text[..open].Trim(), ["uniqueName"] = text[(open + 1)..^1] }
                : new JsonObject { ["id"] = null, ["displayName"] = text, ["uniqueName"] = null };
        }
    }

    private static long? Number(JsonElement fields, string name)
        => fields.ValueKind == JsonValueKind.Object && fields.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

    /// <summary>A date unless it is a placeholder: .NET's default (0001-01-01, Microsoft's update sample) or the open end of
    /// the latest revision (9999-01-01).</summary>
    private static string? RealDate(string? date)
        => date is null || date.StartsWith("0001-01-01", StringComparison.Ordinal) || date.StartsWith("9999-01-01", StringComparison.Ordinal) ? null : date;

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
