using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Pull request statuses (list, get, create; posting the same genre and name again adds a newer status).</summary>
internal static class PullRequestStatusesEndpoints
{
    public static IResult List(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code|vso.code_status", call => state.Read(d =>
        {
            var (repo, pr, error) = PullRequestStore.Resolve(d, call);
            return error ?? call.List(d.Statuses.Where(s => s.RepositoryId == repo!.Id && s.PullRequestId == pr!.Id).OrderBy(s => s.Id).Select(s => GitJson.Status(call, d, s)).ToArray());
        }));

    public static IResult Get(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code|vso.code_status", call => state.Read(d =>
        {
            var (repo, pr, error) = PullRequestStore.Resolve(d, call);
            if (error is not null)
            {
                return error;
            }

            var id = int.Parse(call.Route("statusId")!, CultureInfo.InvariantCulture);
            var status = d.Statuses.FirstOrDefault(s => s.RepositoryId == repo!.Id && s.PullRequestId == pr!.Id && s.Id == id);
            return status is null
                ? DevOpsRoutes.NotFound("GitPullRequestStatusNotFoundException", $"TF401437: The pull request status {id} was not found.")
                : DevOpsJson.Ok(GitJson.Status(call, d, status));
        }));

    public static Task<IResult> Create(HttpContext http, EmulatorState state) =>
        DevOpsApi.RunAsync(http, state, CommitsEndpoints.StatusScopes, async call =>
        {
            var (body, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            var (status, invalid) = CommitsEndpoints.ParseStatus(body);
            if (invalid is not null)
            {
                return invalid;
            }

            return state.Write(d =>
            {
                var (repo, pr, notFound) = PullRequestStore.Resolve(d, call);
                if (notFound is not null)
                {
                    return notFound;
                }

                if (status!.IterationId is { } iteration && (iteration < 1 || iteration > pr!.Iterations.Count))
                {
                    return DevOpsRoutes.BadRequest($"TF401438: The iteration {iteration} does not exist in pull request {pr!.Id}.");
                }

                status.Id = d.NextId("status");
                status.RepositoryId = repo!.Id;
                status.PullRequestId = pr!.Id;
                status.CreatedBy = call.Caller.Id;
                status.CreationDate = call.Now;
                d.Statuses.Add(status);
                return DevOpsJson.Ok(GitJson.Status(call, d, status));
            });
        });
}
