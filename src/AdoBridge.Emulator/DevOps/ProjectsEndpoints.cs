using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Core projects API: list with $top / $skip / continuationToken paging, and get by id or name.</summary>
internal static class ProjectsEndpoints
{
    private const int DefaultTop = 100;

    public static IResult List(string organization, HttpContext http, EmulatorState state) =>
        DevOpsApi.Guarded(http, state, organization, "vso.project", (_, org) =>
        {
            var q = http.Request.Query;
            var top = int.TryParse(q["$top"], NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t > 0 ? t : DefaultTop;
            var skip = int.TryParse(q["$skip"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
            string? token = q["continuationToken"];
            if (!string.IsNullOrEmpty(token))
            {
                // The service's token for this API is the number of projects already returned; clients must treat it as opaque.
                if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                {
                    return DevOpsErrors.Json(StatusCodes.Status400BadRequest, "InvalidContinuationTokenException", $"The continuation token '{token}' is not valid.");
                }

                skip = offset;
            }

            var all = org!.Projects.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToArray();
            var page = all.Skip(skip).Take(top).ToArray();
            if (skip + page.Length < all.Length)
            {
                http.Response.Headers["x-ms-continuationtoken"] = (skip + page.Length).ToString(CultureInfo.InvariantCulture);
            }

            return Results.Json(new { count = page.Length, value = page.Select(p => Summary(http, org, p)).ToArray() });
        });

    public static IResult Get(string organization, string projectId, HttpContext http, EmulatorState state) =>
        DevOpsApi.Guarded(http, state, organization, "vso.project", (_, org) =>
        {
            var project = org!.Projects.FirstOrDefault(p =>
                (Guid.TryParse(projectId, out var id) && p.Id == id) || string.Equals(p.Name, projectId, StringComparison.OrdinalIgnoreCase));
            if (project is null)
            {
                return DevOpsErrors.Json(
                    StatusCodes.Status404NotFound,
                    "ProjectDoesNotExistWithNameException",
                    $"TF200016: The following project does not exist: {projectId}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.");
            }

            var orgUrl = EmulatorUrls.Organization(http, org.Name);
            var summary = Summary(http, org, project);
            summary["_links"] = new Dictionary<string, object>
            {
                ["self"] = new { href = summary["url"] },
                ["collection"] = new { href = $"{orgUrl}/_apis/projectCollections/{org.Id}" },
                ["web"] = new { href = $"{orgUrl}/{Uri.EscapeDataString(project.Name)}" },
            };
            var teamId = TeamsEndpoints.DefaultTeamId(project);
            summary["defaultTeam"] = new { id = teamId, name = $"{project.Name} Team", url = $"{orgUrl}/_apis/projects/{project.Id}/teams/{teamId}" };
            if (bool.TryParse(http.Request.Query["includeCapabilities"], out var capabilities) && capabilities)
            {
                // Version control by the project's kind (the TFVC sample project has no Git), and the Agile process.
                var git = project.Name != EmulatorDefaults.TfvcProject;
                summary["capabilities"] = new Dictionary<string, object>
                {
                    ["versioncontrol"] = new Dictionary<string, string> { ["sourceControlType"] = git ? "Git" : "Tfvc", ["gitEnabled"] = git ? "True" : "False", ["tfvcEnabled"] = git ? "False" : "True" },
                    ["processTemplate"] = new Dictionary<string, string> { ["templateName"] = "Agile", ["templateTypeId"] = "adcc42ab-9882-485e-a3ed-7678f01f66bc" },
                };
            }

            return Results.Json(summary);
        });

    private static Dictionary<string, object> Summary(HttpContext http, EmulatorOrganization org, EmulatorProject p) => new()
    {
        ["id"] = p.Id,
        ["name"] = p.Name,
        ["description"] = p.Description,
        ["url"] = $"{EmulatorUrls.Organization(http, org.Name)}/_apis/projects/{p.Id}",
        ["state"] = "wellFormed",
        ["revision"] = p.Revision,
        ["visibility"] = p.Visibility,
        ["lastUpdateTime"] = p.LastUpdateTime,
    };
}
