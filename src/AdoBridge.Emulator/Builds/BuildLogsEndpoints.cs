using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>A build's logs: the list (id, lineCount, dates, url) and one log as text (or as JSON lines when asked for
/// JSON), with startLine/endLine. The lines are generated from the run: the job, the checkout, then the script step once
/// the build has completed.</summary>
internal static class BuildLogsEndpoints
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
                if (BuildsEndpoints.Find(d, call, project) is not ({ } p, { } run))
                {
                    return BuildsEndpoints.BuildNotFound(call);
                }

                var baseUrl = $"{call.OrgUrl}/{p.ProjectId}/_apis/build/builds/{run.Id}/logs";
                return call.List(Logs(d, p, run).Select((lines, i) => new Dictionary<string, object?>
                {
                    ["lineCount"] = lines.Count,
                    ["createdOn"] = DevOpsJson.Iso(run.CreatedDate),
                    ["lastChangedOn"] = DevOpsJson.Iso(run.FinishedDate ?? run.CreatedDate),
                    ["id"] = i + 1,
                    ["type"] = "Container",
                    ["url"] = $"{baseUrl}/{i + 1}",
                }).ToArray());
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
            return state.Read(d =>
            {
                if (BuildsEndpoints.Find(d, call, project) is not ({ } p, { } run))
                {
                    return BuildsEndpoints.BuildNotFound(call);
                }

                var logs = Logs(d, p, run);
                var id = int.Parse(call.Route("logId")!, CultureInfo.InvariantCulture);
                if (id < 1 || id > logs.Count)
                {
                    return DevOpsRoutes.NotFound("BuildLogNotFoundException", $"Log {id} of build {run.Id} could not be found.");
                }

                var lines = logs[id - 1];
                var start = Math.Max(1, call.QueryInt("startLine") ?? 1);
                var end = Math.Min(lines.Count, call.QueryInt("endLine") ?? lines.Count);
                var selected = start > end ? [] : lines.GetRange(start - 1, end - start + 1);
                var accept = http.Request.Headers.Accept.ToString();
                return accept.Contains("json", StringComparison.OrdinalIgnoreCase) && !accept.Contains("text/plain", StringComparison.OrdinalIgnoreCase)
                    ? call.List(selected)
                    : Results.Text(string.Join("\r\n", selected), "text/plain");
            });
        });

    private static string Short(string refName) => refName.StartsWith("refs/heads/", StringComparison.Ordinal) ? refName["refs/heads/".Length..] : refName;

    private static List<List<string>> Logs(EmulatorData d, PipelineData p, PipelineRunData run)
    {
        var t = run.CreatedDate;
        string At(int seconds) => DevOpsJson.IsoText(t.AddSeconds(seconds));
        var repo = d.Repositories.FirstOrDefault(r => r.Id == p.RepositoryId);
        var logs = new List<List<string>>
        {
            new() { $"{At(0)} ##[section]Starting: Initialize job", $"{At(0)} Agent name: 'Azure Pipelines 2'", $"{At(1)} Build number: {run.Name}", $"{At(1)} ##[section]Finishing: Initialize job" },
            new() { $"{At(2)} ##[section]Starting: Checkout {repo?.Name}@{Short(run.RefName)} to s", $"{At(3)} Syncing repository: {repo?.Name} (Git)", $"{At(4)} HEAD is now at {run.SourceVersion?[..Math.Min(7, run.SourceVersion.Length)]}", $"{At(5)} ##[section]Finishing: Checkout" },
        };
        if (run.State == "completed")
        {
            var script = new List<string> { $"{At(6)} ##[section]Starting: Build", $"{At(6)} Building {p.Name} from {run.RefName}" };
            script.AddRange(run.Variables.Where(v => !v.Value.IsSecret).Select(v => $"{At(7)} Variable {v.Key} = {v.Value.Value}"));
            script.AddRange(run.Variables.Where(v => v.Value.IsSecret).Select(v => $"{At(7)} Variable {v.Key} = ***"));
            script.AddRange(run.TemplateParameters.Select(v => $"{At(7)} Parameter {v.Key} = {v.Value}"));
            script.Add(run.Result == "succeeded" ? $"{At(8)} Build succeeded." : $"{At(8)} ##[error]Build {run.Result}.");
            script.Add($"{At(9)} ##[section]Finishing: Build");
            logs.Add(script);
        }

        return logs;
    }
}
