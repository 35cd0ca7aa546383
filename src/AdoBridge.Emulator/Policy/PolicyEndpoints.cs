using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AdoBridge.Emulator;

/// <summary>Branch policies as Azure DevOps evaluates them on pull requests: each repository's default branch requires
/// one approving reviewer (blocking) and asks for a linked work item (optional). Configurations and types are read-only;
/// evaluations are computed from the pull request's current votes and links.</summary>
internal static partial class PolicyEndpoints
{
    private static readonly PolicyType MinimumReviewers = new("fa4e907d-c16b-4a4c-9dfa-4906e5d171dd", "Minimum number of reviewers", "This policy will ensure that a minimum number of reviewers have approved a pull request before completion.");
    private static readonly PolicyType WorkItemLinking = new("40e92b44-2fe1-4dd6-b3d8-74a9c21d0c6e", "Work item linking", "This policy encourages developers to link commits to work items.");
    private static readonly PolicyType[] Types = [MinimumReviewers, WorkItemLinking];

    public static void Map(RouteGroupBuilder org)
    {
        DevOpsRoutes.ProjectOnly(org, "GET", "/_apis/policy/evaluations", Evaluations);
        DevOpsRoutes.ProjectOnly(org, "GET", "/_apis/policy/configurations", Configurations);
        DevOpsRoutes.ProjectOnly(org, "GET", "/_apis/policy/configurations/{configurationId:int}", Configuration);
        DevOpsRoutes.ProjectOnly(org, "GET", "/_apis/policy/types", TypesList);
        DevOpsRoutes.ProjectOnly(org, "GET", "/_apis/policy/types/{typeId}", TypeGet);
    }

    public static IResult Evaluations(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call =>
        {
            var project = call.RouteProject;
            if (project is null)
            {
                return call.ProjectNotFound();
            }

            var artifactId = call.Query("artifactId");
            var match = artifactId is null ? null : CodeReviewArtifact().Match(artifactId);
            if (match is not { Success: true })
            {
                return DevOpsRoutes.BadRequest($"The artifact id '{artifactId}' is not valid. Pass artifactId=vstfs:///CodeReview/CodeReviewId/{{projectId}}/{{pullRequestId}}.", "ArgumentException");
            }

            if (!Guid.TryParse(match.Groups[1].Value, out var projectId) || projectId != project.Id)
            {
                return DevOpsRoutes.BadRequest($"The artifact id '{artifactId}' names another project than {project.Name}.", "ArgumentException");
            }

            var prId = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            return state.Read(d =>
            {
                var pr = PullRequestStore.InScope(d, call).FirstOrDefault(p => p.Id == prId);
                if (pr is null)
                {
                    return PullRequestStore.NotFound();
                }

                var repo = d.Repositories.First(r => r.Id == pr.RepositoryId);
                var records = ConfigurationsOf(d, call, project)
                    .Where(c => c.Repo.Id == repo.Id && string.Equals(pr.TargetRefName, c.Repo.DefaultBranch, StringComparison.Ordinal))
                    .Select(c => Evaluation(call, d, project, repo, pr, c, artifactId!))
                    .Skip(Math.Max(0, call.QueryInt("$skip") ?? 0))
                    .Take(call.QueryInt("$top") is { } top and > 0 ? top : int.MaxValue)
                    .ToArray();
                return call.List(records);
            });
        });

    public static IResult Configurations(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call => call.RouteProject is not { } project
            ? call.ProjectNotFound()
            : state.Read(d => call.List(ConfigurationsOf(d, call, project).Where(c => call.Query("policyType") is not { } type || string.Equals(type, c.Type.Id, StringComparison.OrdinalIgnoreCase))
                .Select(c => ConfigurationJson(call, d, project, c)).ToArray())));

    public static IResult Configuration(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call =>
        {
            if (call.RouteProject is not { } project)
            {
                return call.ProjectNotFound();
            }

            var id = int.Parse(call.Route("configurationId")!, CultureInfo.InvariantCulture);
            return state.Read(d => ConfigurationsOf(d, call, project).FirstOrDefault(c => c.Id == id) is { } c
                ? DevOpsJson.Ok(ConfigurationJson(call, d, project, c))
                : DevOpsRoutes.NotFound("PolicyConfigurationNotFoundException", $"TF400899: Policy configuration with ID {id} does not exist."));
        });

    public static IResult TypesList(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call => call.RouteProject is not { } project
            ? call.ProjectNotFound()
            : call.List(Types.Select(t => new Dictionary<string, object?> { ["description"] = t.Description, ["id"] = t.Id, ["url"] = TypeUrl(call, project, t), ["displayName"] = t.DisplayName }).ToArray()));

    public static IResult TypeGet(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call =>
        {
            if (call.RouteProject is not { } project)
            {
                return call.ProjectNotFound();
            }

            var id = call.Route("typeId");
            return Types.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.OrdinalIgnoreCase)) is { } t
                ? DevOpsJson.Ok(new Dictionary<string, object?> { ["description"] = t.Description, ["id"] = t.Id, ["url"] = TypeUrl(call, project, t), ["displayName"] = t.DisplayName })
                : DevOpsRoutes.NotFound("PolicyTypeNotFoundException", $"TF400898: Policy type {id} does not exist.");
        });

    private sealed record PolicyType(string Id, string DisplayName, string Description);

    private sealed record PolicyConfig(int Id, PolicyType Type, GitRepositoryData Repo, bool IsBlocking);

    /// <summary>Two policies per repository of the project, numbered in repository order so ids stay stable.</summary>
    private static List<PolicyConfig> ConfigurationsOf(EmulatorData d, DevOpsCall call, EmulatorProject project) =>
        d.Repositories.Where(r => r.ProjectId == project.Id && string.Equals(r.Organization, call.Org.Name, StringComparison.OrdinalIgnoreCase))
            .OrderBy(r => r.Id)
            .SelectMany((r, i) => new[] { new PolicyConfig((i * 2) + 1, MinimumReviewers, r, true), new PolicyConfig((i * 2) + 2, WorkItemLinking, r, false) })
            .ToList();

    private static Dictionary<string, object?> Evaluation(DevOpsCall call, EmulatorData d, EmulatorProject project, GitRepositoryData repo, PullRequestData pr, PolicyConfig config, string artifactId)
    {
        string status;
        if (config.Type == MinimumReviewers)
        {
            var approvals = pr.Reviewers.Count(r => r.Id != pr.CreatedBy && r.Vote >= 5);
            // A rejection blocks until it is withdrawn; too few approvals waits for votes (queued, "waiting for some event").
            status = pr.Reviewers.Any(r => r.Vote == -10) ? "rejected" : approvals >= 1 ? "approved" : "queued";
        }
        else
        {
            status = PullRequestWorkItems.Linked(d, repo, pr).Any() ? "approved" : "rejected";
        }

        var done = status is "approved" or "rejected";
        return new Dictionary<string, object?>
        {
            ["configuration"] = ConfigurationJson(call, d, project, config),
            ["artifactId"] = artifactId,
            ["evaluationId"] = Secrets.StableGuid($"policy-evaluation:{repo.Id}:{pr.Id}:{config.Id}"),
            ["startedDate"] = DevOpsJson.Iso(pr.CreationDate),
            ["completedDate"] = done ? DevOpsJson.Iso(call.Now) : null,
            ["status"] = status,
            ["context"] = config.Type == MinimumReviewers ? null : new Dictionary<string, object?> { ["lastMergeSourceCommit"] = pr.LastMergeSourceCommit },
        };
    }

    private static Dictionary<string, object?> ConfigurationJson(DevOpsCall call, EmulatorData d, EmulatorProject project, PolicyConfig c)
    {
        var url = $"{call.OrgUrl}/{project.Id}/_apis/policy/configurations/{c.Id}";
        var scope = new[] { new Dictionary<string, object?> { ["refName"] = c.Repo.DefaultBranch, ["matchKind"] = "Exact", ["repositoryId"] = c.Repo.Id } };
        var settings = c.Type == MinimumReviewers
            ? new Dictionary<string, object?> { ["minimumApproverCount"] = 1, ["creatorVoteCounts"] = false, ["allowDownvotes"] = false, ["resetOnSourcePush"] = false, ["scope"] = scope }
            : new Dictionary<string, object?> { ["scope"] = scope };
        return new Dictionary<string, object?>
        {
            ["createdBy"] = DevOpsJson.Identity(call, d, Guid.Parse(EmulatorDefaults.AliceId)),
            ["createdDate"] = DevOpsJson.Iso(project.LastUpdateTime),
            ["isEnabled"] = true,
            ["isBlocking"] = c.IsBlocking,
            ["isDeleted"] = false,
            ["settings"] = settings,
            ["isEnterpriseManaged"] = false,
            ["_links"] = new Dictionary<string, object>
            {
                ["self"] = DevOpsJson.Href(url),
                ["policyType"] = DevOpsJson.Href(TypeUrl(call, project, c.Type)),
            },
            ["revision"] = 1,
            ["id"] = c.Id,
            ["url"] = url,
            ["type"] = new Dictionary<string, object?> { ["id"] = c.Type.Id, ["url"] = TypeUrl(call, project, c.Type), ["displayName"] = c.Type.DisplayName },
        };
    }

    private static string TypeUrl(DevOpsCall call, EmulatorProject project, PolicyType t) => $"{call.OrgUrl}/{project.Id}/_apis/policy/types/{t.Id}";

    [GeneratedRegex(@"^vstfs:///CodeReview/CodeReviewId/([0-9a-fA-F-]{36})/(\d+)$")]
    private static partial Regex CodeReviewArtifact();
}
