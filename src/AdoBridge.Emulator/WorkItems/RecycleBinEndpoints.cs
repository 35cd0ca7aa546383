using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Deleting work items: DELETE moves to the recycle bin (destroy=true removes for good); the recycle bin can
/// show, restore (workitem.restored) and destroy a deleted item. Deleted items answer 404 everywhere else.</summary>
internal static class RecycleBinEndpoints
{
    public static IResult Delete(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, WorkItemStore.WriteScope, call => state.Write(d =>
        {
            var id = int.Parse(call.Route("id")!, CultureInfo.InvariantCulture);
            var item = WorkItemStore.Find(d, call, id);
            if (item is null)
            {
                return WorkItemStore.NotFound(id);
            }

            if (call.QueryBool("destroy"))
            {
                d.WorkItems.Remove(item);
                state.PublishLocked(d, WorkItemHookEvents.Simple(call, d, item, "workitem.deleted", "deleted"));
                return Results.NoContent();
            }

            item.IsDeleted = true;
            item.DeletedDate = call.Now;
            item.DeletedBy = call.Caller.Id;
            state.PublishLocked(d, WorkItemHookEvents.Simple(call, d, item, "workitem.deleted", "deleted"));
            return DevOpsJson.Ok(Deleted(call, d, item));
        }));

    public static IResult Get(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, WorkItemStore.ReadScope, call => state.Read(d =>
        {
            var id = int.Parse(call.Route("id")!, CultureInfo.InvariantCulture);
            var item = WorkItemStore.Find(d, call, id, includeDeleted: true);
            return item is not { IsDeleted: true } ? WorkItemStore.NotFound(id) : DevOpsJson.Ok(Deleted(call, d, item));
        }));

    public static Task<IResult> Restore(HttpContext http, EmulatorState state) =>
        DevOpsApi.RunAsync(http, state, WorkItemStore.WriteScope, async call =>
        {
            var (body, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            if (DevOpsJson.Prop(body, "isDeleted") is not { ValueKind: JsonValueKind.False })
            {
                return DevOpsRoutes.BadRequest("Only {\"isDeleted\": false} is supported to restore a work item.");
            }

            return state.Write(d =>
            {
                var id = int.Parse(call.Route("id")!, CultureInfo.InvariantCulture);
                var item = WorkItemStore.Find(d, call, id, includeDeleted: true);
                if (item is not { IsDeleted: true })
                {
                    return WorkItemStore.NotFound(id);
                }

                item.IsDeleted = false;
                item.DeletedDate = null;
                item.DeletedBy = null;
                state.PublishLocked(d, WorkItemHookEvents.Simple(call, d, item, "workitem.restored", "restored"));
                return DevOpsJson.Ok(Deleted(call, d, item));
            });
        });

    public static IResult Destroy(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, WorkItemStore.WriteScope, call => state.Write(d =>
        {
            var id = int.Parse(call.Route("id")!, CultureInfo.InvariantCulture);
            var item = WorkItemStore.Find(d, call, id, includeDeleted: true);
            if (item is not { IsDeleted: true })
            {
                return WorkItemStore.NotFound(id);
            }

            d.WorkItems.Remove(item);
            return Results.NoContent();
        }));

    private static Dictionary<string, object?> Deleted(DevOpsCall call, EmulatorData d, WorkItemData item) => new()
    {
        ["id"] = item.Id,
        ["code"] = 200,
        ["deletedBy"] = item.DeletedBy is { } by ? GitHookEvents.Name(d, by) : null,
        ["deletedDate"] = item.DeletedDate is { } date ? DevOpsJson.Iso(date) : null,
        ["name"] = DevOpsJson.Text(item.Fields["System.Title"]),
        ["project"] = DevOpsJson.Text(item.Fields["System.TeamProject"]),
        ["type"] = DevOpsJson.Text(item.Fields["System.WorkItemType"]),
        ["url"] = $"{call.OrgUrl}/_apis/wit/recycleBin/{item.Id}",
    };
}
