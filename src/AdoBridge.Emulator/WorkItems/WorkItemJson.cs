using System.Text.Json.Nodes;

namespace AdoBridge.Emulator;

/// <summary>Work items and comments in the REST shape (identity fields as IdentityRef) and in the events' shape (identity fields as text).</summary>
internal static class WorkItemJson
{
    public static string Url(string orgUrl, int id) => $"{orgUrl}/_apis/wit/workItems/{id}";

    /// <summary>`fields` limits the fields returned; `expand` is none, relations, fields, links or all.</summary>
    public static Dictionary<string, object?> WorkItem(DevOpsCall call, EmulatorData data, WorkItemData item, IReadOnlyCollection<string>? fields = null, string? expand = null)
    {
        var url = Url(call.OrgUrl, item.Id);
        var rendered = new Dictionary<string, object?>();
        foreach (var (name, value) in item.Fields)
        {
            if (fields is not null && !fields.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            rendered[name] = Value(call, data, name, value);
        }

        var json = new Dictionary<string, object?>
        {
            ["id"] = item.Id,
            ["rev"] = item.Rev,
            ["fields"] = rendered,
        };
        var e = (expand ?? string.Empty).ToLowerInvariant();
        if (e is "relations" or "all" && item.Relations.Count > 0)
        {
            json["relations"] = item.Relations.Select(r => r.DeepClone()).ToArray();
        }

        var project = call.FindProject(item.ProjectId);
        if (fields is null || e is "links" or "all")
        {
            json["_links"] = Links(call.OrgUrl, item, project);
        }

        json["commentVersionRef"] = item.Comments.LastOrDefault(c => !c.IsDeleted) is { } last
            ? new Dictionary<string, object> { ["commentId"] = last.Id, ["version"] = last.Version, ["url"] = $"{url}/comments/{last.Id}/versions/{last.Version}" }
            : null;
        json["url"] = url;
        return json;
    }

    /// <summary>A field value as the REST API shows it: identity fields as IdentityRef, the rest as stored.</summary>
    public static object? Value(DevOpsCall call, EmulatorData data, string name, JsonNode? value) =>
        WorkItemFields.Find(name)?.Type == "identity" && WorkItemFields.ResolveIdentity(data, DevOpsJson.Text(value)) is { } user
            ? DevOpsJson.Identity(call, data, user.Id)
            : value?.DeepClone();

    public static Dictionary<string, object> Links(string orgUrl, WorkItemData item, EmulatorProject? project)
    {
        var url = Url(orgUrl, item.Id);
        var type = DevOpsJson.Text(item.Fields["System.WorkItemType"]) ?? "Task";
        return new Dictionary<string, object>
        {
            ["self"] = DevOpsJson.Href(url),
            ["workItemUpdates"] = DevOpsJson.Href($"{url}/updates"),
            ["workItemRevisions"] = DevOpsJson.Href($"{url}/revisions"),
            ["workItemComments"] = DevOpsJson.Href($"{url}/comments"),
            ["html"] = DevOpsJson.Href($"{orgUrl}/{Uri.EscapeDataString(project?.Name ?? item.ProjectId.ToString())}/_workitems/edit/{item.Id}"),
            ["workItemType"] = DevOpsJson.Href($"{orgUrl}/{item.ProjectId}/_apis/wit/workItemTypes/{Uri.EscapeDataString(type)}"),
            ["fields"] = DevOpsJson.Href($"{orgUrl}/{item.ProjectId}/_apis/wit/fields"),
        };
    }

    /// <summary>The work item as service hook events carry it: fields as stored (identities as "Name &lt;upn&gt;").</summary>
    public static Dictionary<string, object?> EventResource(DevOpsCall call, WorkItemData item) => new()
    {
        ["id"] = item.Id,
        ["rev"] = item.Rev,
        ["fields"] = item.Fields.DeepClone(),
        ["_links"] = Links(call.OrgUrl, item, call.FindProject(item.ProjectId)),
        ["url"] = Url(call.OrgUrl, item.Id),
    };

    public static Dictionary<string, object?> Comment(DevOpsCall call, EmulatorData data, WorkItemData item, WorkItemCommentData comment) => new()
    {
        ["workItemId"] = item.Id,
        ["id"] = comment.Id,
        ["version"] = comment.Version,
        ["text"] = comment.Text,
        ["createdBy"] = DevOpsJson.Identity(call, data, comment.CreatedBy),
        ["createdDate"] = DevOpsJson.Iso(comment.CreatedDate),
        ["modifiedBy"] = DevOpsJson.Identity(call, data, comment.ModifiedBy),
        ["modifiedDate"] = DevOpsJson.Iso(comment.ModifiedDate),
        ["isDeleted"] = comment.IsDeleted ? true : null,
        ["url"] = $"{call.OrgUrl}/{item.ProjectId}/_apis/wit/workItems/{item.Id}/comments/{comment.Id}",
    };

    public static JsonObject Clone(JsonObject fields) => (JsonObject)fields.DeepClone();
}
