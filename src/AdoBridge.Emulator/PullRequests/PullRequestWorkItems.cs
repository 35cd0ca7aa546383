using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Work items linked to a pull request: an ArtifactLink on the work item naming the pull request's artifact id,
/// which the service adds when a pull request is created with workItemRefs (or a user links them).</summary>
internal static class PullRequestWorkItems
{
    public static string ArtifactId(GitRepositoryData repo, PullRequestData pr) => $"vstfs:///Git/PullRequestId/{repo.ProjectId}%2f{repo.Id}%2f{pr.Id}";

    public static IEnumerable<WorkItemData> Linked(EmulatorData data, GitRepositoryData repo, PullRequestData pr)
    {
        var artifact = ArtifactId(repo, pr);
        return data.WorkItems.Where(w => !w.IsDeleted && w.Relations.Any(r =>
            DevOpsJson.Text(r["rel"]) == "ArtifactLink" && string.Equals(DevOpsJson.Text(r["url"]), artifact, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>Links the work items of a create request's workItemRefs ([{id}]) to the new pull request; unknown ids are skipped.</summary>
    public static void LinkFromRequest(DevOpsCall call, EmulatorData data, GitRepositoryData repo, PullRequestData pr, JsonElement body)
    {
        if (DevOpsJson.Prop(body, "workItemRefs") is not { ValueKind: JsonValueKind.Array } refs)
        {
            return;
        }

        foreach (var r in refs.EnumerateArray())
        {
            var text = DevOpsJson.Text(DevOpsJson.Prop(r, "id") ?? default);
            if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
                && WorkItemStore.Find(data, call, id) is { } item && !Linked(data, repo, pr).Contains(item))
            {
                item.Relations.Add(new JsonObject
                {
                    ["rel"] = "ArtifactLink",
                    ["url"] = ArtifactId(repo, pr),
                    ["attributes"] = new JsonObject { ["name"] = "Pull Request" },
                });
            }
        }
    }

    /// <summary>GET …/pullRequests/{id}/workitems: ResourceRef {id (as text), url} per linked work item.</summary>
    public static IResult List(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call => state.Read(d =>
        {
            var (repo, pr, error) = PullRequestStore.Resolve(d, call);
            return error ?? call.List(Linked(d, repo!, pr!).OrderBy(w => w.Id)
                .Select(w => new Dictionary<string, object?> { ["id"] = w.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["url"] = WorkItemJson.Url(call.OrgUrl, w.Id) }).ToArray());
        }));
}
