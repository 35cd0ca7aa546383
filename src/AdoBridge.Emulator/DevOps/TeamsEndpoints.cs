using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AdoBridge.Emulator;

/// <summary>Teams: each project's default team ("{project} Team", whose members are the organisation's users), listed
/// per project or for the whole organisation, one by id or name, and its members.</summary>
internal static class TeamsEndpoints
{
    public static void Map(RouteGroupBuilder org)
    {
        org.MapGet("/_apis/teams", All);
        org.MapGet("/_apis/projects/{projectId}/teams", List);
        org.MapGet("/_apis/projects/{projectId}/teams/{teamId}", Get);
        org.MapGet("/_apis/projects/{projectId}/teams/{teamId}/members", Members);
    }

    public static Guid DefaultTeamId(EmulatorProject project) => Secrets.StableGuid($"team:{project.Id}");

    private static IResult All(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.project", call => call.List(call.Org.Projects.Select(p => Team(call, p)).ToArray()));

    private static IResult List(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.project", call =>
            Project(call) is { } project ? call.List(new[] { Team(call, project) }) : ProjectMissing(call));

    private static IResult Get(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.project", call =>
        {
            if (Project(call) is not { } project)
            {
                return ProjectMissing(call);
            }

            return IsTeam(call, project) ? DevOpsJson.Ok(Team(call, project)) : TeamMissing(call);
        });

    private static IResult Members(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.project", call =>
        {
            if (Project(call) is not { } project)
            {
                return ProjectMissing(call);
            }

            if (!IsTeam(call, project))
            {
                return TeamMissing(call);
            }

            return state.Read(d => call.List(d.Users.Where(u => u.Organizations.Contains(call.Org.Name, StringComparer.OrdinalIgnoreCase))
                .Select(u => new Dictionary<string, object?> { ["identity"] = DevOpsJson.Identity(call, d, u.Id), ["isTeamAdmin"] = u.Id == Guid.Parse(EmulatorDefaults.AliceId) ? true : null })
                .ToArray()));
        });

    private static EmulatorProject? Project(DevOpsCall call) => call.FindProject(call.Route("projectId")!);

    private static bool IsTeam(DevOpsCall call, EmulatorProject project)
    {
        var team = call.Route("teamId")!;
        return (Guid.TryParse(team, out var id) && id == DefaultTeamId(project)) || team.Equals($"{project.Name} Team", StringComparison.OrdinalIgnoreCase);
    }

    private static Dictionary<string, object?> Team(DevOpsCall call, EmulatorProject project)
    {
        var id = DefaultTeamId(project);
        return new Dictionary<string, object?>
        {
            ["id"] = id,
            ["name"] = $"{project.Name} Team",
            ["url"] = $"{call.OrgUrl}/_apis/projects/{project.Id}/teams/{id}",
            ["description"] = "The default project team.",
            ["identityUrl"] = $"{EmulatorUrls.Vssps(call.Http, call.Org.Name)}/_apis/Identities/{id}",
            ["projectName"] = project.Name,
            ["projectId"] = project.Id,
        };
    }

    private static IResult ProjectMissing(DevOpsCall call) => DevOpsErrors.Json(
        StatusCodes.Status404NotFound,
        "ProjectDoesNotExistWithNameException",
        $"TF200016: The following project does not exist: {call.Route("projectId")}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.");

    private static IResult TeamMissing(DevOpsCall call) =>
        DevOpsRoutes.NotFound("TeamNotFoundException", $"VS800065: The team with id or name '{call.Route("teamId")}' does not exist.");
}
