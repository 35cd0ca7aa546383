using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>A work item's updates (what each revision changed) and revisions (the work item as each revision left it),
/// with $top/$skip, and one of each by number.</summary>
internal static class WorkItemHistoryEndpoints
{
    public static IResult Updates(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, WorkItemStore.ReadScope, call => state.Read(d =>
        {
            var (item, error) = Find(d, call);
            if (item is null)
            {
                return error!;
            }

            var revisions = WorkItemHistory.Revisions(d, item);
            return call.List(Page(call, Enumerable.Range(0, revisions.Count)).Select(i => WorkItemHistory.Update(call, d, item, revisions, i)).ToArray());
        }));

    public static IResult Update(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, WorkItemStore.ReadScope, call => state.Read(d =>
        {
            var (item, error) = Find(d, call);
            if (item is null)
            {
                return error!;
            }

            var revisions = WorkItemHistory.Revisions(d, item);
            var number = int.Parse(call.Route("updateNumber")!, CultureInfo.InvariantCulture);
            return number < 1 || number > revisions.Count
                ? DevOpsRoutes.NotFound("WorkItemUpdateNotFoundException", $"VS402321: Update {number} of work item {item.Id} does not exist.")
                : DevOpsJson.Ok(WithLinks(WorkItemHistory.Update(call, d, item, revisions, number - 1), call, item, "updates", number));
        }));

    public static IResult Revisions(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, WorkItemStore.ReadScope, call => state.Read(d =>
        {
            var (item, error) = Find(d, call);
            return item is null
                ? error!
                : call.List(Page(call, WorkItemHistory.Revisions(d, item)).Select(r => WorkItemHistory.Revision(call, d, item, r, call.Query("$expand"))).ToArray());
        }));

    public static IResult Revision(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, WorkItemStore.ReadScope, call => state.Read(d =>
        {
            var (item, error) = Find(d, call);
            if (item is null)
            {
                return error!;
            }

            var number = int.Parse(call.Route("revisionNumber")!, CultureInfo.InvariantCulture);
            return WorkItemHistory.Revisions(d, item).FirstOrDefault(r => r.Rev == number) is { } revision
                ? DevOpsJson.Ok(WithLinks(WorkItemHistory.Revision(call, d, item, revision, call.Query("$expand")), call, item, "revisions", number))
                : DevOpsRoutes.NotFound("WorkItemRevisionNotFoundException", $"VS402322: Revision {number} of work item {item.Id} does not exist.");
        }));

    /// <summary>One update or revision links itself, its list and its work item, as the 7.1 examples show (the lists do not).</summary>
    private static Dictionary<string, object?> WithLinks(Dictionary<string, object?> json, DevOpsCall call, WorkItemData item, string kind, int number)
    {
        var parent = $"{call.OrgUrl}/{item.ProjectId}/_apis/wit/workItems/{item.Id}";
        json["_links"] = new Dictionary<string, object>
        {
            ["self"] = DevOpsJson.Href($"{parent}/{kind}/{number}"),
            [kind == "updates" ? "workItemUpdates" : "workItemRevisions"] = DevOpsJson.Href($"{parent}/{kind}"),
            ["parent"] = DevOpsJson.Href(parent),
        };
        return json;
    }

    private static (WorkItemData? Item, IResult? Error) Find(EmulatorData d, DevOpsCall call)
    {
        var id = int.Parse(call.Route("id")!, CultureInfo.InvariantCulture);
        var item = WorkItemStore.Find(d, call, id);
        return item is null ? (null, WorkItemStore.NotFound(id)) : (item, null);
    }

    private static IEnumerable<T> Page<T>(DevOpsCall call, IEnumerable<T> all) =>
        all.Skip(Math.Max(0, call.QueryInt("$skip") ?? 0)).Take(Math.Clamp(call.QueryInt("$top") ?? 200, 1, 200));
}
