namespace AdoBridge.Emulator;

/// <summary>Pipelines and runs in the service's JSON shape; URLs from the organisation URL the caller used.</summary>
internal static class PipelineJson
{
    public static string Url(string orgUrl, PipelineData p) => $"{orgUrl}/{p.ProjectId}/_apis/pipelines/{p.Id}?revision={p.Revision}";

    public static Dictionary<string, object?> Pipeline(string orgUrl, PipelineData p, bool withConfiguration = false)
    {
        var web = $"{orgUrl}/{p.ProjectId}/_build/definition?definitionId={p.Id}";
        var json = new Dictionary<string, object?>
        {
            ["_links"] = new Dictionary<string, object> { ["self"] = DevOpsJson.Href($"{orgUrl}/{p.ProjectId}/_apis/pipelines/{p.Id}?revision={p.Revision}"), ["web"] = DevOpsJson.Href(web) },
            ["url"] = Url(orgUrl, p),
            ["id"] = p.Id,
            ["revision"] = p.Revision,
            ["name"] = p.Name,
            ["folder"] = p.Folder,
        };
        if (withConfiguration)
        {
            json["configuration"] = new Dictionary<string, object?>
            {
                ["path"] = p.YamlPath,
                ["repository"] = new Dictionary<string, object?> { ["id"] = p.RepositoryId, ["type"] = "azureReposGit" },
                ["type"] = "yaml",
            };
        }

        return json;
    }

    public static Dictionary<string, object?> Run(string orgUrl, PipelineData p, PipelineRunData run)
    {
        var url = $"{orgUrl}/{p.ProjectId}/_apis/pipelines/{p.Id}/runs/{run.Id}";
        return new Dictionary<string, object?>
        {
            ["_links"] = new Dictionary<string, object>
            {
                ["self"] = DevOpsJson.Href(url),
                ["web"] = DevOpsJson.Href($"{orgUrl}/{p.ProjectId}/_build/results?buildId={run.Id}"),
                ["pipeline.web"] = DevOpsJson.Href($"{orgUrl}/{p.ProjectId}/_build/definition?definitionId={p.Id}"),
                ["pipeline"] = DevOpsJson.Href(Url(orgUrl, p)),
            },
            ["templateParameters"] = run.TemplateParameters.Count == 0 ? null : new Dictionary<string, string>(run.TemplateParameters),
            // Secret values never come back, as in the service.
            ["variables"] = run.Variables.Count == 0 ? null : run.Variables.ToDictionary(v => v.Key, v => new Dictionary<string, object?> { ["value"] = v.Value.IsSecret ? null : v.Value.Value, ["isSecret"] = v.Value.IsSecret }),
            ["pipeline"] = Pipeline(orgUrl, p),
            ["state"] = run.State,
            ["result"] = run.Result,
            ["createdDate"] = DevOpsJson.Iso(run.CreatedDate),
            ["finishedDate"] = run.FinishedDate is { } f ? DevOpsJson.Iso(f) : null,
            ["url"] = url,
            ["resources"] = new Dictionary<string, object?>
            {
                ["repositories"] = new Dictionary<string, object?>
                {
                    ["self"] = new Dictionary<string, object?>
                    {
                        ["repository"] = new Dictionary<string, object?> { ["id"] = p.RepositoryId, ["type"] = "azureReposGit" },
                        ["refName"] = run.RefName,
                        ["version"] = run.SourceVersion,
                    },
                },
            },
            ["id"] = run.Id,
            ["name"] = run.Name,
        };
    }

    /// <summary>The build resource of build.complete (resource version 2.0), as the newer samples show it.</summary>
    public static Dictionary<string, object?> Build(EmulatorData data, string orgUrl, EmulatorOrganization org, PipelineData p, PipelineRunData run)
    {
        var vssps = orgUrl[..orgUrl.LastIndexOf("/" + EmulatorDefaults.DevOpsHost + "/", StringComparison.Ordinal)] + $"/{EmulatorDefaults.VsspsHost}/{org.Name}";
        var project = org.Projects.FirstOrDefault(x => x.Id == p.ProjectId);
        var url = $"{orgUrl}/{p.ProjectId}/_apis/build/Builds/{run.Id}";
        var requestedFor = DevOpsJson.Identity(data, orgUrl, vssps, run.RequestedBy);
        return new Dictionary<string, object?>
        {
            ["_links"] = new Dictionary<string, object> { ["self"] = DevOpsJson.Href(url), ["web"] = DevOpsJson.Href($"{orgUrl}/{p.ProjectId}/_build/results?buildId={run.Id}") },
            ["id"] = run.Id,
            ["buildNumber"] = run.Name,
            ["status"] = "completed",
            ["result"] = run.Result,
            ["queueTime"] = DevOpsJson.Iso(run.CreatedDate),
            ["startTime"] = DevOpsJson.Iso(run.CreatedDate),
            ["finishTime"] = run.FinishedDate is { } f ? DevOpsJson.Iso(f) : null,
            ["url"] = url,
            ["definition"] = new Dictionary<string, object?>
            {
                ["id"] = p.Id,
                ["name"] = p.Name,
                ["url"] = $"{orgUrl}/{p.ProjectId}/_apis/build/Definitions/{p.Id}?revision={p.Revision}",
                ["path"] = p.Folder,
                ["type"] = "build",
                ["queueStatus"] = "enabled",
                ["revision"] = p.Revision,
                ["project"] = project is null ? null : GitJson.ProjectRef(orgUrl, project),
            },
            ["project"] = project is null ? null : GitJson.ProjectRef(orgUrl, project),
            ["uri"] = $"vstfs:///Build/Build/{run.Id}",
            ["sourceBranch"] = run.RefName,
            ["sourceVersion"] = run.SourceVersion,
            ["priority"] = "normal",
            ["reason"] = "manual",
            ["requestedFor"] = requestedFor,
            ["requestedBy"] = requestedFor,
            ["lastChangedDate"] = run.FinishedDate is { } l ? DevOpsJson.Iso(l) : null,
            ["repository"] = new Dictionary<string, object?> { ["id"] = p.RepositoryId, ["type"] = "TfsGit" },
            ["templateParameters"] = run.TemplateParameters.Count == 0 ? null : new Dictionary<string, string>(run.TemplateParameters),
        };
    }
}
