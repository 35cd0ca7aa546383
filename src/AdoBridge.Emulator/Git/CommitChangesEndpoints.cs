using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>GET …/commits/{commitId}/changes: what a commit changed against its first parent (changeCounts and
/// changes with item path, blob ids and changeType), paged by top/skip.</summary>
internal static class CommitChangesEndpoints
{
    public static IResult Get(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call => state.Read(d =>
        {
            var found = CommitsEndpoints.RouteCommit(d, call);
            if (found is not ({ } repo, { } commit, _))
            {
                return found.NotFound!;
            }

            var changes = GitStore.Diff(d, commit.Parents.Count > 0 ? commit.Parents[0] : null, commit.CommitId);
            var skip = Math.Max(0, call.QueryInt("skip") ?? call.QueryInt("$skip") ?? 0);
            var top = Math.Clamp(call.QueryInt("top") ?? call.QueryInt("$top") ?? 100, 1, 10000);
            var repoUrl = GitJson.RepoUrl(call.OrgUrl, repo);
            return DevOpsJson.Ok(new Dictionary<string, object?>
            {
                ["changeCounts"] = new Dictionary<string, int>
                {
                    ["Add"] = changes.Count(c => c.ChangeType == "add"),
                    ["Edit"] = changes.Count(c => c.ChangeType == "edit"),
                    ["Delete"] = changes.Count(c => c.ChangeType == "delete"),
                },
                ["changes"] = changes.Skip(skip).Take(top).Select(c => new Dictionary<string, object?>
                {
                    ["item"] = new Dictionary<string, object?>
                    {
                        ["objectId"] = GitContent.BlobId(c.NewContent ?? c.OldContent!),
                        ["originalObjectId"] = c.ChangeType == "edit" ? GitContent.BlobId(c.OldContent!) : null,
                        ["gitObjectType"] = "blob",
                        ["commitId"] = commit.CommitId,
                        ["path"] = c.Path,
                        ["url"] = $"{repoUrl}/items{Uri.EscapeDataString(c.Path).Replace("%2F", "/", StringComparison.Ordinal)}?versionType=Commit&version={commit.CommitId}",
                    },
                    ["changeType"] = c.ChangeType,
                }).ToArray(),
            });
        }));
}
