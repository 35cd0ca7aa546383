using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Build definitions (list with name/$top, get) and builds: list (definitions, branchName, statusFilter,
/// resultFilter, $top), get, and queue (definition.id, sourceBranch, parameters as a JSON string, templateParameters).</summary>
internal static class BuildsEndpoints
{
    // The filters take names ("completed,inProgress") or, as the official clients send enums, the flag value.
    private static readonly (int Flag, string Name)[] StatusFlags = [(1, "inProgress"), (2, "completed"), (4, "cancelling"), (8, "postponed"), (32, "notStarted"), (47, "all")];
    private static readonly (int Flag, string Name)[] ResultFlags = [(2, "succeeded"), (4, "partiallySucceeded"), (8, "failed"), (32, "canceled")];

    public static IResult Definitions(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.build", call => call.RouteProject is not { } project
            ? call.ProjectNotFound()
            : state.Read(d =>
            {
                IEnumerable<PipelineData> all = InProject(d, call, project).OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase);
                if (call.Query("name") is { } name)
                {
                    all = all.Where(p => NameMatches(p.Name, name));
                }

                if (call.Query("path") is { } path)
                {
                    all = all.Where(p => string.Equals(p.Folder, path, StringComparison.OrdinalIgnoreCase));
                }

                // Paged by $top with x-ms-continuationtoken (build/7.1 Definitions - List takes continuationToken): the token
                // is the last name returned, base64url-encoded, so a page boundary survives definitions added before it.
                if (call.Query("continuationToken") is { } token)
                {
                    string after;
                    try
                    {
                        after = System.Text.Encoding.UTF8.GetString(Secrets.FromBase64Url(token));
                    }
                    catch (FormatException)
                    {
                        return InvalidToken(token);
                    }

                    all = all.Where(p => StringComparer.OrdinalIgnoreCase.Compare(p.Name, after) > 0);
                }

                var rest = all.ToArray();
                var page = rest.Take(call.QueryInt("$top") is { } t and > 0 ? t : 10000).ToArray();
                var next = page.Length < rest.Length ? Secrets.Base64Url(System.Text.Encoding.UTF8.GetBytes(page[^1].Name)) : null;
                return call.List(page.Select(p => BuildJson.Definition(call, d, project, p)).ToArray(), next);
            }));

    public static IResult Definition(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.build", call => call.RouteProject is not { } project
            ? call.ProjectNotFound()
            : state.Read(d =>
            {
                var id = int.Parse(call.Route("definitionId")!, CultureInfo.InvariantCulture);
                return InProject(d, call, project).FirstOrDefault(p => p.Id == id) is { } p
                    ? DevOpsJson.Ok(BuildJson.Definition(call, d, project, p, full: true))
                    : DefinitionNotFound(id);
            }));

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
                var pipelines = InProject(d, call, project).ToDictionary(p => p.Id);
                IEnumerable<PipelineRunData> runs = d.PipelineRuns.Where(r => pipelines.ContainsKey(r.PipelineId));
                if (WorkItemStore.ParseIds(call.Query("definitions")) is { Count: > 0 } definitions)
                {
                    runs = runs.Where(r => definitions.Contains(r.PipelineId));
                }

                if (call.Query("branchName") is { } branch)
                {
                    runs = runs.Where(r => string.Equals(r.RefName, GitStore.NormalizeRef(branch), StringComparison.Ordinal));
                }

                // Paged by $top with x-ms-continuationtoken (build/7.1 Builds - List takes continuationToken): newest first,
                // the token is the last build id returned, so builds queued meanwhile do not shift the next page.
                if (call.Query("continuationToken") is { } token)
                {
                    if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var lastId))
                    {
                        return InvalidToken(token);
                    }

                    runs = runs.Where(r => r.Id < lastId);
                }

                var builds = runs.OrderByDescending(r => r.Id).Select(r => BuildJson.Build(call, d, pipelines[r.PipelineId], r));
                if (Filter(call.Query("statusFilter"), StatusFlags) is { } status && !status.Contains("all"))
                {
                    builds = builds.Where(b => status.Contains((string)b["status"]!));
                }

                if (Filter(call.Query("resultFilter"), ResultFlags) is { } result)
                {
                    builds = builds.Where(b => b["result"] is string r && result.Contains(r));
                }

                var matching = builds.ToArray();
                var page = matching.Take(call.QueryInt("$top") is { } t and > 0 ? t : 1000).ToArray();
                var next = page.Length < matching.Length ? ((int)page[^1]["id"]!).ToString(CultureInfo.InvariantCulture) : null;
                return call.List(page, next);
            });
        });

    public static IResult Get(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.build", call =>
        {
            if (call.RouteProject is not { } project)
            {
                return call.ProjectNotFound();
            }

            state.CompleteDuePipelineRuns();
            return state.Read(d => Find(d, call, project) is ({ } p, { } run) ? DevOpsJson.Ok(BuildJson.Build(call, d, p, run)) : BuildNotFound(call));
        });

    public static Task<IResult> Queue(HttpContext http, EmulatorState state) =>
        DevOpsApi.RunAsync(http, state, "vso.build_execute", async call =>
        {
            if (call.RouteProject is not { } project)
            {
                return call.ProjectNotFound();
            }

            var (body, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            if (body.ValueKind != JsonValueKind.Object || DevOpsJson.Prop(body, "definition") is not { ValueKind: JsonValueKind.Object } definition
                || DevOpsJson.Prop(definition, "id") is not { ValueKind: JsonValueKind.Number } definitionId)
            {
                return DevOpsRoutes.BadRequest("Value cannot be null.\r\nParameter name: build.Definition", "ArgumentNullException");
            }

            var variables = new Dictionary<string, PipelineVariableData>(StringComparer.Ordinal);
            if (DevOpsJson.Str(body, "parameters") is { Length: > 0 } parameters)
            {
                try
                {
                    using var doc = JsonDocument.Parse(parameters);
                    foreach (var p in doc.RootElement.EnumerateObject())
                    {
                        variables[p.Name] = new PipelineVariableData(DevOpsJson.Text(p.Value), false);
                    }
                }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException)
                {
                    return DevOpsRoutes.BadRequest("The build parameters must be a JSON object of names and values, given as a string, e.g. \"{\\\"configuration\\\":\\\"release\\\"}\".", "BuildRequestValidationFailedException");
                }
            }

            var templateParameters = new Dictionary<string, string>(StringComparer.Ordinal);
            if (DevOpsJson.Prop(body, "templateParameters") is { ValueKind: JsonValueKind.Object } tp)
            {
                foreach (var p in tp.EnumerateObject())
                {
                    templateParameters[p.Name] = DevOpsJson.Text(p.Value) ?? string.Empty;
                }
            }

            var sourceBranch = DevOpsJson.Str(body, "sourceBranch");
            var sourceVersion = DevOpsJson.Str(body, "sourceVersion");
            return state.Write(d =>
            {
                var id = definitionId.GetInt32();
                if (InProject(d, call, project).FirstOrDefault(p => p.Id == id) is not { } pipeline)
                {
                    return DefinitionNotFound(id);
                }

                var repo = d.Repositories.FirstOrDefault(r => r.Id == pipeline.RepositoryId);
                var branch = GitStore.NormalizeRef(sourceBranch ?? repo?.DefaultBranch ?? "refs/heads/main");
                if (repo is not null && !repo.Refs.ContainsKey(branch))
                {
                    return DevOpsRoutes.BadRequest($"Could not queue the build because the branch '{branch}' does not exist in repository {repo.Name}. Specify a sourceBranch that exists.", "BuildRequestValidationFailedException");
                }

                var run = PipelineRuns.Start(d, call, state, pipeline, branch, sourceVersion ?? repo?.Refs.GetValueOrDefault(branch), templateParameters, variables);
                return DevOpsJson.Ok(BuildJson.Build(call, d, pipeline, run));
            });
        });

    private static HashSet<string>? Filter(string? text, (int Flag, string Name)[] flags)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return flags.Where(f => f.Flag == value || (f.Flag & value) == f.Flag).Select(f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        }

        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public static (PipelineData? Pipeline, PipelineRunData? Run) Find(EmulatorData d, DevOpsCall call, EmulatorProject project)
    {
        var id = int.Parse(call.Route("buildId")!, CultureInfo.InvariantCulture);
        var run = d.PipelineRuns.FirstOrDefault(r => r.Id == id);
        var pipeline = run is null ? null : InProject(d, call, project).FirstOrDefault(p => p.Id == run.PipelineId);
        return pipeline is null ? (null, null) : (pipeline, run);
    }

    public static IResult BuildNotFound(DevOpsCall call) =>
        DevOpsRoutes.NotFound("BuildNotFoundException", $"Build {call.Route("buildId")} could not be found. Verify that the build exists and that you have access to it.");

    private static IEnumerable<PipelineData> InProject(EmulatorData d, DevOpsCall call, EmulatorProject project) =>
        d.Pipelines.Where(p => p.ProjectId == project.Id && string.Equals(p.Organization, call.Org.Name, StringComparison.OrdinalIgnoreCase));

    private static IResult DefinitionNotFound(int id) =>
        DevOpsRoutes.NotFound("DefinitionNotFoundException", $"The definition with ID {id} does not exist or you do not have permission to view it.");

    // The name filter takes * as a wildcard, like the service.
    private static bool NameMatches(string name, string pattern) =>
        System.Text.RegularExpressions.Regex.IsMatch(name, "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    private static IResult InvalidToken(string token) =>
        DevOpsErrors.Json(StatusCodes.Status400BadRequest, "InvalidContinuationTokenException", $"The continuation token '{token}' is not valid. Pass the x-ms-continuationtoken header of the previous page unchanged.");
}
