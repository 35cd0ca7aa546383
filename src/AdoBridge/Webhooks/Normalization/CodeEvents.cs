using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdoBridge.Webhooks.Normalization;

/// <summary>git.push and tfvc.checkin.</summary>
internal static class CodeEvents
{
    /// <summary>Essentials: pushId and repository.id; refUpdates and commits may be empty (a branch deletion has no commits).</summary>
    public static NormalizedEvent? NormalizePush(in HookInput input, out string? error)
    {
        var push = input.Resource;
        if (HookJson.Long(push, "pushId") is not { } pushId)
        {
            error = input.Missing("pushId");
            return null;
        }

        if (!HookJson.TryObject(push, "repository", out var repository) || HookJson.Str(repository, "id") is not { } repositoryId)
        {
            error = input.Missing("repository with an id");
            return null;
        }

        var refUpdates = new JsonArray();
        if (HookJson.TryArray(push, "refUpdates", out var updates))
        {
            foreach (var update in updates.EnumerateArray())
            {
                if (HookJson.Str(update, "name") is { } name)
                {
                    refUpdates.Add(new JsonObject
                    {
                        ["name"] = name,
                        ["oldObjectId"] = HookJson.Str(update, "oldObjectId"),
                        ["newObjectId"] = HookJson.Str(update, "newObjectId"),
                    });
                }
            }
        }

        var commits = new JsonArray();
        if (HookJson.TryArray(push, "commits", out var list))
        {
            foreach (var commit in list.EnumerateArray())
            {
                if (HookJson.Str(commit, "commitId") is { } commitId)
                {
                    commits.Add(new JsonObject
                    {
                        ["commitId"] = commitId,
                        ["comment"] = HookJson.Str(commit, "comment"),
                        ["author"] = GitUser(commit, "author"),
                        ["url"] = HookJson.Str(commit, "url"),
                    });
                }
            }
        }

        var data = new JsonObject
        {
            ["pushId"] = pushId,
            ["refUpdates"] = refUpdates,
            ["commits"] = commits,
            ["pushedBy"] = HookJson.Identity(push, "pushedBy"),
            ["date"] = HookJson.Str(push, "date"),
            ["url"] = HookJson.Str(push, "url"),
        };
        HookJson.TryObject(repository, "project", out var project);
        var organization = input.Organization(HookJson.Str(repository, "url"), HookJson.Str(push, "url"), HookJson.Str(repository, "remoteUrl"));
        error = null;
        return input.Event(organization, HookJson.Str(project, "id") ?? input.ContainerProjectId, HookJson.Str(project, "name"), repositoryId, HookJson.Str(repository, "name"), data);
    }

    /// <summary>Essential: changesetId. TFVC has no repository; the project comes from resourceContainers when sent.</summary>
    public static NormalizedEvent? NormalizeCheckin(in HookInput input, out string? error)
    {
        var changeset = input.Resource;
        if (HookJson.Long(changeset, "changesetId") is not { } changesetId)
        {
            error = input.Missing("changesetId");
            return null;
        }

        var url = HookJson.Str(changeset, "url");
        var data = new JsonObject
        {
            ["changeset"] = new JsonObject
            {
                ["id"] = changesetId,
                ["comment"] = HookJson.Str(changeset, "comment"),
                ["author"] = HookJson.Identity(changeset, "author"),
                ["checkedInBy"] = HookJson.Identity(changeset, "checkedInBy"),
                ["createdDate"] = HookJson.Str(changeset, "createdDate"),
                ["url"] = url,
            },
        };
        error = null;
        return input.Event(input.Organization(url), input.ContainerProjectId, null, null, null, data);
    }

    /// <summary>A commit's author or committer: {name, email, date} (git identities, not Azure DevOps ones).</summary>
    private static JsonObject? GitUser(JsonElement commit, string name) =>
        HookJson.TryObject(commit, name, out var user)
            ? new JsonObject
            {
                ["name"] = HookJson.Str(user, "name"),
                ["email"] = HookJson.Str(user, "email"),
                ["date"] = HookJson.Str(user, "date"),
            }
            : null;
}
