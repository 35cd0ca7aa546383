using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Work items: get, list by ids, batch (at most 200), create and update by JSON Patch (validateOnly, bypassRules).</summary>
internal static class WorkItemsEndpoints
{
    public static IResult Get(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, WorkItemStore.ReadScope, call => state.Read(d =>
        {
            var id = int.Parse(call.Route("id")!, CultureInfo.InvariantCulture);
            var item = WorkItemStore.Find(d, call, id);
            return item is null ? WorkItemStore.NotFound(id) : DevOpsJson.Ok(WorkItemJson.WorkItem(call, d, item, Fields(call.Query("fields")), call.Query("$expand")));
        }));

    public static IResult List(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, WorkItemStore.ReadScope, call =>
        {
            var ids = WorkItemStore.ParseIds(call.Query("ids"));
            if (ids is null || ids.Count == 0)
            {
                return DevOpsRoutes.BadRequest("The ids parameter must be a comma-separated list of work item ids.\r\nParameter name: ids", "ArgumentException");
            }

            return Many(call, ids, Fields(call.Query("fields")), call.Query("$expand"), call.Query("errorPolicy"));
        });

    public static Task<IResult> Batch(HttpContext http, EmulatorState state) =>
        DevOpsApi.RunAsync(http, state, WorkItemStore.ReadScope, async call =>
        {
            var (body, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            if (DevOpsJson.Prop(body, "ids") is not { ValueKind: JsonValueKind.Array } idArray)
            {
                return DevOpsRoutes.BadRequest("Value cannot be null.\r\nParameter name: ids", "ArgumentNullException");
            }

            var ids = idArray.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Number).Select(i => i.GetInt32()).ToList();
            var fields = DevOpsJson.Prop(body, "fields") is { ValueKind: JsonValueKind.Array } f ? f.EnumerateArray().Select(x => x.GetString()!).ToArray() : null;
            var expand = DevOpsJson.Enum(body, "$expand", "none", "relations", "fields", "links", "all");
            return Many(call, ids, fields, expand, DevOpsJson.Enum(body, "errorPolicy", "none", "fail", "omit"));
        });

    public static Task<IResult> Create(HttpContext http, EmulatorState state) =>
        DevOpsApi.RunAsync(http, state, WorkItemStore.WriteScope, async call =>
        {
            if (WorkItemStore.RequireJsonPatch(http) is { } unsupported)
            {
                return unsupported;
            }

            var (patch, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            var project = call.RouteProject;
            if (project is null)
            {
                return call.ProjectNotFound();
            }

            var type = WorkItemFields.Types.FirstOrDefault(t => string.Equals(t, call.Route("type")!.TrimStart('$'), StringComparison.OrdinalIgnoreCase));
            if (type is null)
            {
                return DevOpsRoutes.NotFound("WorkItemTypeNotFoundException", $"VS402323: Work item type {call.Route("type")!.TrimStart('$')} does not exist in project {project.Name} or you do not have permission to access it.");
            }

            return state.Write(d =>
            {
                var outcome = WorkItemPatch.Apply(d, null, patch, call.QueryBool("bypassRules"));
                if (outcome.Error is not null)
                {
                    return outcome.Error;
                }

                var me = d.Users.FirstOrDefault(u => u.Id == call.Caller.Id);
                var now = DevOpsJson.IsoText(call.Now);
                var fields = outcome.Fields;
                var item = new WorkItemData { Organization = call.Org.Name, ProjectId = project.Id, Rev = 1, Relations = outcome.Relations };
                item.Id = call.QueryBool("validateOnly") ? 0 : d.NextId("workItem");
                fields["System.Id"] = item.Id;
                fields["System.Rev"] = 1;
                fields["System.WorkItemType"] = type;
                fields["System.TeamProject"] = project.Name;
                fields["System.AreaPath"] ??= project.Name;
                fields["System.IterationPath"] ??= project.Name;
                fields["System.State"] ??= "New";
                fields["System.Reason"] ??= type == "Bug" ? "New defect reported" : "New";
                fields["System.CreatedDate"] ??= now;
                fields["System.ChangedDate"] = fields["System.CreatedDate"]!.DeepClone();
                fields["System.CreatedBy"] ??= me is null ? call.Caller.DisplayName : WorkItemFields.IdentityText(me);
                fields["System.ChangedBy"] = fields["System.CreatedBy"]!.DeepClone();
                fields["System.CommentCount"] = 0;
                fields["Microsoft.VSTS.Common.Priority"] ??= 2;
                fields["Microsoft.VSTS.Common.StateChangeDate"] ??= now;
                item.Fields = fields;
                if (call.QueryBool("validateOnly"))
                {
                    return DevOpsJson.Ok(WorkItemJson.WorkItem(call, d, item, expand: call.Query("$expand")));
                }

                d.WorkItems.Add(item);
                WorkItemHistory.Record(d, item, call.Caller.Id, call.Now);
                state.PublishLocked(d, WorkItemHookEvents.Simple(call, d, item, "workitem.created", "created"));
                return DevOpsJson.Ok(WorkItemJson.WorkItem(call, d, item, expand: call.Query("$expand")));
            });
        });

    public static Task<IResult> Update(HttpContext http, EmulatorState state) =>
        DevOpsApi.RunAsync(http, state, WorkItemStore.WriteScope, async call =>
        {
            if (WorkItemStore.RequireJsonPatch(http) is { } unsupported)
            {
                return unsupported;
            }

            var (patch, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            return state.Write(d =>
            {
                var id = int.Parse(call.Route("id")!, CultureInfo.InvariantCulture);
                var item = WorkItemStore.Find(d, call, id);
                if (item is null)
                {
                    return WorkItemStore.NotFound(id);
                }

                var outcome = WorkItemPatch.Apply(d, item, patch, call.QueryBool("bypassRules"));
                if (outcome.Error is not null)
                {
                    return outcome.Error;
                }

                var fields = outcome.Fields;
                var history = DevOpsJson.Text(fields["System.History"]);
                fields.Remove("System.History");
                var before = item.Fields;
                var beforeRelations = item.Relations;
                var me = d.Users.FirstOrDefault(u => u.Id == call.Caller.Id);
                var stateChanged = !string.Equals(DevOpsJson.Text(before["System.State"]), DevOpsJson.Text(fields["System.State"]), StringComparison.Ordinal);
                var rev = item.Rev + 1;
                fields["System.Rev"] = rev;
                fields["System.ChangedDate"] = DevOpsJson.IsoText(call.Now);
                fields["System.ChangedBy"] = me is null ? call.Caller.DisplayName : WorkItemFields.IdentityText(me);
                if (stateChanged)
                {
                    fields["Microsoft.VSTS.Common.StateChangeDate"] = DevOpsJson.IsoText(call.Now);
                }

                var candidate = new WorkItemData { Id = item.Id, Organization = item.Organization, ProjectId = item.ProjectId, Rev = rev, Fields = fields, Relations = outcome.Relations, Comments = item.Comments };
                if (call.QueryBool("validateOnly"))
                {
                    return DevOpsJson.Ok(WorkItemJson.WorkItem(call, d, candidate, expand: call.Query("$expand")));
                }

                item.Rev = rev;
                item.Fields = fields;
                item.Relations = outcome.Relations;
                if (!string.IsNullOrWhiteSpace(history))
                {
                    // A history entry is how clients comment through an update; it shows up as a comment.
                    WorkItemCommentsEndpoints.AddComment(call, d, item, history);
                }

                var stored = WorkItemJson.Clone(item.Fields);
                if (history is not null)
                {
                    item.Fields["System.History"] = history;
                }

                WorkItemHistory.Record(d, item, call.Caller.Id, call.Now, before, beforeRelations);

                state.PublishLocked(d, WorkItemHookEvents.Updated(call, d, item, before));
                item.Fields = stored;
                return DevOpsJson.Ok(WorkItemJson.WorkItem(call, d, item, expand: call.Query("$expand")));
            });
        });

    private static IResult Many(DevOpsCall call, List<int> ids, IReadOnlyCollection<string>? fields, string? expand, string? errorPolicy)
    {
        if (ids.Count > WorkItemStore.MaxBatch)
        {
            return WorkItemStore.TooMany(ids.Count);
        }

        return call.State.Read(d =>
        {
            var items = new List<object?>();
            foreach (var id in ids)
            {
                var item = WorkItemStore.Find(d, call, id);
                if (item is null && !string.Equals(errorPolicy, "omit", StringComparison.OrdinalIgnoreCase))
                {
                    return WorkItemStore.NotFound(id);
                }

                items.Add(item is null ? null : WorkItemJson.WorkItem(call, d, item, fields, expand));
            }

            // DevOpsJson.Ok drops nulls inside objects but keeps array slots, so omitted items stay as null like the service.
            return Results.Json(new JsonObject { ["count"] = items.Count, ["value"] = new JsonArray(items.Select(i => i is null ? null : DevOpsJson.ToNode(i)).ToArray()) });
        });
    }

    private static string[]? Fields(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
