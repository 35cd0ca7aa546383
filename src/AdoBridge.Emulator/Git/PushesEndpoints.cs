using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Pushes: list, get, and create (commits with add/edit/delete changes moving one branch), which fires git.push
/// and updates active pull requests from that branch (a new iteration, git.pullrequest.updated PushNotification).</summary>
internal static class PushesEndpoints
{
    public static IResult List(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call => state.Read(d =>
        {
            var id = call.Route("repositoryId")!;
            var repo = GitStore.FindRepository(d, call, id);
            if (repo is null)
            {
                return GitStore.RepositoryNotFound(id);
            }

            var pushes = d.Pushes.Where(p => p.RepositoryId == repo.Id).OrderByDescending(p => p.PushId)
                .Skip(call.QueryInt("$skip") ?? 0).Take(call.QueryInt("$top") ?? 100);
            return call.List(pushes.Select(p => GitJson.Push(call, d, repo, p, withCommits: false)).ToArray());
        }));

    public static IResult Get(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call => state.Read(d =>
        {
            var id = call.Route("repositoryId")!;
            var repo = GitStore.FindRepository(d, call, id);
            if (repo is null)
            {
                return GitStore.RepositoryNotFound(id);
            }

            var pushId = int.Parse(call.Route("pushId")!, System.Globalization.CultureInfo.InvariantCulture);
            var push = d.Pushes.FirstOrDefault(p => p.RepositoryId == repo.Id && p.PushId == pushId);
            return push is null
                ? DevOpsRoutes.NotFound("GitPushNotFoundException", $"TF401152: The push {pushId} could not be found.")
                : DevOpsJson.Ok(GitJson.Push(call, d, repo, push, withCommits: true));
        }));

    public static Task<IResult> Create(HttpContext http, EmulatorState state) =>
        DevOpsApi.RunAsync(http, state, "vso.code_write", async call =>
        {
            var (body, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            if (DevOpsJson.Prop(body, "refUpdates") is not { ValueKind: JsonValueKind.Array } refUpdates || refUpdates.GetArrayLength() != 1)
            {
                return DevOpsRoutes.BadRequest("A push must update exactly one ref.\r\nParameter name: refUpdates");
            }

            if (DevOpsJson.Prop(body, "commits") is not { ValueKind: JsonValueKind.Array } commits || commits.GetArrayLength() == 0)
            {
                return DevOpsRoutes.BadRequest("A push must contain at least one commit.\r\nParameter name: commits");
            }

            var update = refUpdates[0];
            var name = GitStore.NormalizeRef(DevOpsJson.Str(update, "name") ?? string.Empty);
            var oldId = DevOpsJson.Str(update, "oldObjectId") ?? GitStore.ZeroId;
            var parsed = new List<(string Comment, Dictionary<string, string?> Changes)>();
            foreach (var commit in commits.EnumerateArray())
            {
                var (changes, invalid) = ParseChanges(commit);
                if (invalid is not null)
                {
                    return invalid;
                }

                parsed.Add((DevOpsJson.Str(commit, "comment") ?? string.Empty, changes!));
            }

            return state.Write(d =>
            {
                var id = call.Route("repositoryId")!;
                var repo = GitStore.FindRepository(d, call, id);
                if (repo is null)
                {
                    return GitStore.RepositoryNotFound(id);
                }

                var current = repo.Refs.GetValueOrDefault(name, GitStore.ZeroId);
                if (!string.Equals(current, oldId, StringComparison.OrdinalIgnoreCase))
                {
                    return DevOpsErrors.Json(StatusCodes.Status409Conflict, "GitReferenceStaleException", $"TF401028: The reference '{name}' has already been updated by another client, so you cannot update it. Please try again.");
                }

                var user = d.Users.FirstOrDefault(u => u.Id == call.Caller.Id);
                var parent = current == GitStore.ZeroId ? repo.Refs.GetValueOrDefault(repo.DefaultBranch) : current;
                var created = new List<string>();
                foreach (var (comment, changes) in parsed)
                {
                    parent = GitStore.AddCommit(d, repo.Id, parent, comment, user, call.Now, changes).CommitId;
                    created.Add(parent);
                }

                repo.Refs[name] = parent!;
                repo.RefCreators.TryAdd(name, call.Caller.Id);
                var push = new GitPushData { PushId = d.NextId("push"), RepositoryId = repo.Id, PushedBy = call.Caller.Id, Date = call.Now, RefUpdates = [new GitRefUpdateData(name, oldId, parent!)], CommitIds = created };
                d.Pushes.Add(push);
                state.PublishLocked(d, GitHookEvents.Push(call, d, repo, push));
                PullRequestUpdates.OnBranchMoved(call, d, repo, name, parent!);
                return DevOpsJson.Ok(GitJson.Push(call, d, repo, push, withCommits: true), StatusCodes.Status201Created);
            });
        });

    private static (Dictionary<string, string?>? Changes, IResult? Error) ParseChanges(JsonElement commit)
    {
        var changes = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (DevOpsJson.Prop(commit, "changes") is not { ValueKind: JsonValueKind.Array } list)
        {
            return (changes, null);
        }

        foreach (var change in list.EnumerateArray())
        {
            var path = DevOpsJson.Prop(change, "item") is { } item ? DevOpsJson.Str(item, "path") : null;
            if (string.IsNullOrEmpty(path))
            {
                return (null, DevOpsRoutes.BadRequest("Each change must name an item path.\r\nParameter name: changes.item.path"));
            }

            path = "/" + path.Replace('\\', '/').Trim('/');
            var type = DevOpsJson.Prop(change, "changeType") is { } t ? (t.ValueKind == JsonValueKind.Number ? t.GetInt32() switch { 1 => "add", 16 => "delete", _ => "edit" } : t.GetString()?.ToLowerInvariant()) : "edit";
            if (type == "delete")
            {
                changes[path] = null;
                continue;
            }

            var content = DevOpsJson.Prop(change, "newContent") is { } nc ? nc : default;
            var text = content.ValueKind == JsonValueKind.Object ? DevOpsJson.Str(content, "content") ?? string.Empty : string.Empty;
            var contentType = content.ValueKind == JsonValueKind.Object ? DevOpsJson.Enum(content, "contentType", "rawText", "base64Encoded") : "rawText";
            if (string.Equals(contentType, "base64Encoded", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    text = GitContent.FromBytes(Convert.FromBase64String(text));
                }
                catch (FormatException)
                {
                    return (null, DevOpsRoutes.BadRequest($"The content of '{path}' is not valid base64."));
                }
            }

            changes[path] = text;
        }

        return (changes, null);
    }
}
