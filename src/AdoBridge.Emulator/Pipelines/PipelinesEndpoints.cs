using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Pipelines: list (with $top and continuationToken), get; runs: queue (branch via
/// resources.repositories.self.refName, templateParameters, variables), list, get. Runs finish on the emulator clock.</summary>
internal static class PipelinesEndpoints
{
    public static IResult List(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.build", call =>
        {
            if (call.RouteProject is not { } project)
            {
                return call.ProjectNotFound();
            }

            state.CompleteDuePipelineRuns();
            return state.Read(d =>
            {
                var all = d.Pipelines.Where(p => p.ProjectId == project.Id && string.Equals(p.Organization, call.Org.Name, StringComparison.OrdinalIgnoreCase)).OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToArray();
                var skip = int.TryParse(call.Query("continuationToken"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
                var top = call.QueryInt("$top") is { } t and > 0 ? t : 1000;
                var page = all.Skip(skip).Take(top).ToArray();
                var next = skip + page.Length < all.Length ? (skip + page.Length).ToString(CultureInfo.InvariantCulture) : null;
                return call.List(page.Select(p => PipelineJson.Pipeline(call.OrgUrl, p)).ToArray(), next);
            });
        });

    public static IResult Get(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.build", call => state.Read(d =>
        {
            var pipeline = Find(d, call);
            return pipeline is null ? PipelineNotFound(call) : DevOpsJson.Ok(PipelineJson.Pipeline(call.OrgUrl, pipeline, withConfiguration: true));
        }));

    public static Task<IResult> Run(HttpContext http, EmulatorState state) =>
        DevOpsApi.RunAsync(http, state, "vso.build_execute", async call =>
        {
            var (body, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            var refName = body.ValueKind == JsonValueKind.Object &&
                          DevOpsJson.Prop(body, "resources") is { } resources && DevOpsJson.Prop(resources, "repositories") is { } repos && DevOpsJson.Prop(repos, "self") is { } self
                ? DevOpsJson.Str(self, "refName")
                : null;
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            if (body.ValueKind == JsonValueKind.Object && DevOpsJson.Prop(body, "templateParameters") is { ValueKind: JsonValueKind.Object } tp)
            {
                foreach (var p in tp.EnumerateObject())
                {
                    parameters[p.Name] = DevOpsJson.Text(p.Value) ?? string.Empty;
                }
            }

            var variables = new Dictionary<string, PipelineVariableData>(StringComparer.Ordinal);
            if (body.ValueKind == JsonValueKind.Object && DevOpsJson.Prop(body, "variables") is { ValueKind: JsonValueKind.Object } vars)
            {
                foreach (var v in vars.EnumerateObject())
                {
                    if (v.Value.ValueKind != JsonValueKind.Object)
                    {
                        return DevOpsRoutes.BadRequest($"The value of variable '{v.Name}' must be an object with 'value' and 'isSecret'.", "PipelineValidationException");
                    }

                    variables[v.Name] = new PipelineVariableData(DevOpsJson.Str(v.Value, "value"), DevOpsJson.Prop(v.Value, "isSecret") is { ValueKind: JsonValueKind.True });
                }
            }

            return state.Write(d =>
            {
                var pipeline = Find(d, call);
                if (pipeline is null)
                {
                    return PipelineNotFound(call);
                }

                var repo = d.Repositories.FirstOrDefault(r => r.Id == pipeline.RepositoryId);
                var branch = GitStore.NormalizeRef(refName ?? repo?.DefaultBranch ?? "refs/heads/main");
                if (repo is not null && !repo.Refs.ContainsKey(branch))
                {
                    return DevOpsRoutes.BadRequest($"Could not find the branch '{branch}' in repository {repo.Name}. Specify a branch that exists.", "PipelineValidationException");
                }

                var run = PipelineRuns.Start(d, call, state, pipeline, branch, repo?.Refs.GetValueOrDefault(branch), parameters, variables);
                return DevOpsJson.Ok(PipelineJson.Run(call.OrgUrl, pipeline, run));
            });
        });

    public static IResult ListRuns(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.build", call =>
        {
            state.CompleteDuePipelineRuns();
            return state.Read(d =>
            {
                var pipeline = Find(d, call);
                return pipeline is null
                    ? PipelineNotFound(call)
                    : call.List(d.PipelineRuns.Where(r => r.PipelineId == pipeline.Id).OrderByDescending(r => r.Id).Take(10000).Select(r => PipelineJson.Run(call.OrgUrl, pipeline, r)).ToArray());
            });
        });

    public static IResult GetRun(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.build", call =>
        {
            state.CompleteDuePipelineRuns();
            return state.Read(d =>
            {
                var pipeline = Find(d, call);
                var runId = int.Parse(call.Route("runId")!, CultureInfo.InvariantCulture);
                var run = pipeline is null ? null : d.PipelineRuns.FirstOrDefault(r => r.PipelineId == pipeline.Id && r.Id == runId);
                return run is null
                    ? DevOpsRoutes.NotFound("PipelineRunNotFoundException", $"Pipeline run {runId} not found.")
                    : DevOpsJson.Ok(PipelineJson.Run(call.OrgUrl, pipeline!, run));
            });
        });

    private static PipelineData? Find(EmulatorData d, DevOpsCall call)
    {
        var id = int.Parse(call.Route("pipelineId")!, CultureInfo.InvariantCulture);
        var project = call.RouteProject;
        return project is null ? null : d.Pipelines.FirstOrDefault(p => p.Id == id && p.ProjectId == project.Id && string.Equals(p.Organization, call.Org.Name, StringComparison.OrdinalIgnoreCase));
    }

    private static IResult PipelineNotFound(DevOpsCall call) =>
        DevOpsRoutes.NotFound("PipelineNotFoundException", $"Pipeline with id {call.Route("pipelineId")} not found.");
}
