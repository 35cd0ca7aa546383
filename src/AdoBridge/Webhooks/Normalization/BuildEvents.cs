using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdoBridge.Webhooks.Normalization;

/// <summary>build.complete as build.completed.</summary>
/// <remarks>
/// Resource version 2.0 (the newer sample, and the emulator) is the Build REST shape: status "completed" and a result.
/// Version 1.0 (the older sample, XAML-era) puts the outcome in status ("succeeded"), has no result, names the branch and
/// commit only in sourceGetVersion ("LG:refs/heads/master:600c52d…") and the requester only under requests[]. Both read
/// to the same data. Only a TfsGit repository id is an Azure Repos repository id, so only that becomes RepositoryId.
/// </remarks>
internal static class BuildEvents
{
    private static readonly string[] Outcomes = ["succeeded", "partiallySucceeded", "failed", "canceled", "stopped"];

    public static NormalizedEvent? Normalize(in HookInput input, out string? error)
    {
        var build = input.Resource;
        if (HookJson.Long(build, "id") is not { } id)
        {
            error = input.Missing("build id");
            return null;
        }

        var status = HookJson.Str(build, "status");
        var result = HookJson.Str(build, "result");
        if (result is null && Array.Exists(Outcomes, o => HookJson.EqualsIgnoreCase(status, o)))
        {
            (result, status) = (status, "completed");
        }

        var (sourceBranch, sourceVersion) = Source(build);
        HookJson.TryObject(build, "definition", out var definition);
        var requestedFor = HookJson.Identity(build, "requestedFor") ?? FirstRequester(build);
        var url = HookJson.Str(build, "_links", "web", "href") ?? HookJson.Str(build, "url");
        var data = new JsonObject
        {
            ["build"] = new JsonObject
            {
                ["id"] = id,
                ["buildNumber"] = HookJson.Str(build, "buildNumber"),
                ["status"] = status,
                ["result"] = result,
                ["definition"] = definition.ValueKind == JsonValueKind.Object
                    ? new JsonObject { ["id"] = HookJson.Long(definition, "id"), ["name"] = HookJson.Str(definition, "name") }
                    : null,
                ["sourceBranch"] = sourceBranch,
                ["sourceVersion"] = sourceVersion,
                ["reason"] = HookJson.Str(build, "reason"),
                ["requestedFor"] = requestedFor,
                ["startTime"] = HookJson.Str(build, "startTime"),
                ["finishTime"] = HookJson.Str(build, "finishTime"),
                ["url"] = url,
            },
        };

        string? repositoryId = null, repositoryName = null;
        if (HookJson.TryObject(build, "repository", out var repository))
        {
            var type = HookJson.Str(repository, "type");
            if (type is null || HookJson.EqualsIgnoreCase(type, "TfsGit"))
            {
                (repositoryId, repositoryName) = (HookJson.Str(repository, "id"), HookJson.Str(repository, "name"));
            }

            data["repository"] = new JsonObject
            {
                ["id"] = HookJson.Str(repository, "id"),
                ["name"] = HookJson.Str(repository, "name"),
                ["type"] = type,
            };
        }

        if (!HookJson.TryObject(build, "project", out var project))
        {
            HookJson.TryObject(definition, "project", out project);
        }

        var organization = input.Organization(HookJson.Str(build, "url"), url, HookJson.Str(project, "url"));
        error = null;
        return input.Event(organization, HookJson.Str(project, "id") ?? input.ContainerProjectId, HookJson.Str(project, "name"), repositoryId, repositoryName, data);
    }

    private static (string? Branch, string? Version) Source(JsonElement build)
    {
        var branch = HookJson.Str(build, "sourceBranch");
        var version = HookJson.Str(build, "sourceVersion");
        if ((branch is null || version is null) && HookJson.Str(build, "sourceGetVersion") is { } get && get.StartsWith("LG:", StringComparison.Ordinal))
        {
            var colon = get.LastIndexOf(':');
            if (colon > 3)
            {
                branch ??= get[3..colon];
                version ??= get[(colon + 1)..];
            }
        }

        return (branch, version);
    }

    private static JsonObject? FirstRequester(JsonElement build)
    {
        if (HookJson.TryArray(build, "requests", out var requests))
        {
            foreach (var request in requests.EnumerateArray())
            {
                if (HookJson.Identity(request, "requestedFor") is { } requester)
                {
                    return requester;
                }
            }
        }

        return null;
    }
}
