using System.Text.Json;

namespace AdoBridge.Emulator;

/// <summary>Build definitions and builds in the Build API's shape (the Pipelines API shows the same data differently).</summary>
internal static class BuildJson
{
    public static Dictionary<string, object?> Definition(DevOpsCall call, EmulatorData d, EmulatorProject project, PipelineData p, bool full = false)
    {
        var url = $"{call.OrgUrl}/{p.ProjectId}/_apis/build/Definitions/{p.Id}?revision={p.Revision}";
        var json = new Dictionary<string, object?>
        {
            ["_links"] = new Dictionary<string, object>
            {
                ["self"] = DevOpsJson.Href(url),
                ["web"] = DevOpsJson.Href($"{call.OrgUrl}/{p.ProjectId}/_build/definition?definitionId={p.Id}"),
                ["editor"] = DevOpsJson.Href($"{call.OrgUrl}/{p.ProjectId}/_build/designer?id={p.Id}&_a=edit-build-definition"),
                ["badge"] = DevOpsJson.Href($"{call.OrgUrl}/{p.ProjectId}/_apis/build/status/{p.Id}"),
            },
            ["quality"] = "definition",
            ["authoredBy"] = DevOpsJson.Identity(call, d, Guid.Parse(EmulatorDefaults.AliceId)),
            ["drafts"] = Array.Empty<object>(),
            ["queue"] = Queue(call),
            ["id"] = p.Id,
            ["name"] = p.Name,
            ["url"] = url,
            ["uri"] = $"vstfs:///Build/Definition/{p.Id}",
            ["path"] = p.Folder,
            ["type"] = "build",
            ["queueStatus"] = "enabled",
            ["revision"] = p.Revision,
            ["createdDate"] = DevOpsJson.Iso(project.LastUpdateTime),
            ["project"] = GitJson.ProjectRef(call.OrgUrl, project),
        };
        if (full && d.Repositories.FirstOrDefault(r => r.Id == p.RepositoryId) is { } repo)
        {
            json["process"] = new Dictionary<string, object?> { ["yamlFilename"] = p.YamlPath, ["type"] = 2 };
            json["repository"] = new Dictionary<string, object?>
            {
                ["id"] = repo.Id,
                ["type"] = "TfsGit",
                ["name"] = repo.Name,
                ["url"] = $"{call.OrgUrl}/{Uri.EscapeDataString(project.Name)}/_git/{Uri.EscapeDataString(repo.Name)}",
                ["defaultBranch"] = repo.DefaultBranch,
                ["clean"] = null,
                ["checkoutSubmodules"] = false,
            };
        }

        return json;
    }

    /// <summary>A build: status notStarted in the answer to the request that queued it, inProgress until the run completes
    /// on the emulator clock, then completed with its result; parameters are the queue-time variables as a JSON string.</summary>
    public static Dictionary<string, object?> Build(DevOpsCall call, EmulatorData d, PipelineData p, PipelineRunData run)
    {
        var json = PipelineJson.Build(d, call.OrgUrl, call.Org, p, run);
        var completed = run.State == "completed";
        var url = (string)json["url"]!;
        json["status"] = completed ? "completed" : call.Now <= run.CreatedDate ? "notStarted" : "inProgress";
        json["result"] = completed ? run.Result : null;
        json["startTime"] = call.Now <= run.CreatedDate && !completed ? null : json["startTime"];
        json["finishTime"] = completed && run.FinishedDate is { } f ? DevOpsJson.Iso(f) : null;
        json["lastChangedDate"] = DevOpsJson.Iso(run.FinishedDate ?? run.CreatedDate);
        json["lastChangedBy"] = json["requestedBy"];
        json["buildNumberRevision"] = int.TryParse(run.Name.Split('.')[^1], out var n) ? n : 1;
        json["parameters"] = run.Variables.Count == 0 ? null : JsonSerializer.Serialize(run.Variables.Where(v => !v.Value.IsSecret).ToDictionary(v => v.Key, v => v.Value.Value));
        json["queue"] = Queue(call);
        json["keepForever"] = false;
        json["retainedByRelease"] = false;
        json["triggerInfo"] = new Dictionary<string, object>();
        json["orchestrationPlan"] = new Dictionary<string, object?> { ["planId"] = Secrets.StableGuid($"plan:{run.Id}") };
        json["logs"] = new Dictionary<string, object?> { ["id"] = 0, ["type"] = "Container", ["url"] = $"{url}/logs" };
        if (d.Repositories.FirstOrDefault(r => r.Id == p.RepositoryId) is { } repo)
        {
            json["repository"] = new Dictionary<string, object?>
            {
                ["id"] = repo.Id,
                ["type"] = "TfsGit",
                ["name"] = repo.Name,
                ["url"] = $"{call.OrgUrl}/{repo.ProjectId}/_git/{Uri.EscapeDataString(repo.Name)}",
                ["clean"] = null,
                ["checkoutSubmodules"] = false,
            };
        }

        json["_links"] = new Dictionary<string, object>
        {
            ["self"] = DevOpsJson.Href(url),
            ["web"] = DevOpsJson.Href($"{call.OrgUrl}/{p.ProjectId}/_build/results?buildId={run.Id}"),
            ["sourceVersionDisplayUri"] = DevOpsJson.Href($"{url}/sources"),
            ["timeline"] = DevOpsJson.Href($"{url}/Timeline"),
        };
        return json;
    }

    private static Dictionary<string, object?> Queue(DevOpsCall call) => new()
    {
        ["id"] = 1,
        ["name"] = "Azure Pipelines",
        ["url"] = $"{call.OrgUrl}/_apis/build/Queues/1",
        ["pool"] = new Dictionary<string, object?> { ["id"] = 1, ["name"] = "Azure Pipelines", ["isHosted"] = true },
    };
}
