using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdoBridge.Webhooks.Normalization;

/// <summary>git.repo.created / .deleted / .forked / .renamed / .statuschanged as repository.* events.</summary>
/// <remarks>Shapes differ per event: deleted carries repositoryId/repositoryName and the project beside them (the
/// repository is gone); forked carries sourceRepository and targetRepository. The event's repository is the one the
/// subscription's repository filter matches: the source for a fork, whose new copy is data.fork.</remarks>
internal static class RepositoryEvents
{
    public static NormalizedEvent? Normalize(in HookInput input, out string? error)
    {
        var resource = input.Resource;
        var data = new JsonObject { ["initiatedBy"] = HookJson.Identity(resource, "initiatedBy") };
        JsonElement repository;
        switch (input.Type)
        {
            case NormalizedEventTypes.RepositoryDeleted:
                return Deleted(input, data, out error);
            case NormalizedEventTypes.RepositoryForked:
                if (!HookJson.TryObject(resource, "sourceRepository", out repository) || !HookJson.TryObject(resource, "targetRepository", out var fork) || HookJson.Str(fork, "id") is null)
                {
                    error = input.Missing("sourceRepository and targetRepository with ids");
                    return null;
                }

                data["fork"] = Repository(fork);
                break;
            default:
                if (!HookJson.TryObject(resource, "repository", out repository))
                {
                    error = input.Missing("repository");
                    return null;
                }

                break;
        }

        if (HookJson.Str(repository, "id") is not { } repositoryId)
        {
            error = input.Missing("repository id");
            return null;
        }

        if (input.Type == NormalizedEventTypes.RepositoryRenamed)
        {
            data["oldName"] = HookJson.Str(resource, "oldName");
            data["newName"] = HookJson.Str(resource, "newName") ?? HookJson.Str(repository, "name");
        }
        else if (input.Type == NormalizedEventTypes.RepositoryStatusChanged)
        {
            data["disabled"] = HookJson.Bool(resource, "disabled") ?? HookJson.Bool(repository, "isDisabled");
        }

        data["repository"] = Repository(repository);
        HookJson.TryObject(repository, "project", out var project);
        var organization = input.Organization(HookJson.Str(repository, "url"), HookJson.Str(repository, "remoteUrl"), HookJson.Str(project, "url"));
        error = null;
        return input.Event(organization, HookJson.Str(project, "id") ?? input.ContainerProjectId, HookJson.Str(project, "name"), repositoryId, HookJson.Str(repository, "name"), data);
    }

    private static NormalizedEvent? Deleted(in HookInput input, JsonObject data, out string? error)
    {
        var resource = input.Resource;
        if (HookJson.Str(resource, "repositoryId") is not { } repositoryId)
        {
            error = input.Missing("repositoryId");
            return null;
        }

        data["isHardDelete"] = HookJson.Bool(resource, "isHardDelete");
        HookJson.TryObject(resource, "project", out var project);
        error = null;
        return input.Event(input.Organization(HookJson.Str(project, "url")), HookJson.Str(project, "id") ?? input.ContainerProjectId, HookJson.Str(project, "name"), repositoryId, HookJson.Str(resource, "repositoryName"), data);
    }

    private static JsonObject Repository(JsonElement repository)
    {
        HookJson.TryObject(repository, "project", out var project);
        return new JsonObject
        {
            ["id"] = HookJson.Str(repository, "id"),
            ["name"] = HookJson.Str(repository, "name"),
            ["project"] = HookJson.Reference(HookJson.Str(project, "id"), HookJson.Str(project, "name")),
            ["defaultBranch"] = HookJson.Str(repository, "defaultBranch"),
            ["url"] = HookJson.Str(repository, "url"),
            ["remoteUrl"] = HookJson.Str(repository, "remoteUrl"),
            ["isDisabled"] = HookJson.Bool(repository, "isDisabled"),
        };
    }
}
