using Microsoft.AspNetCore.Routing;

namespace AdoBridge.Emulator;

/// <summary>Pull request REST routes: pull requests, reviewers, threads and comments, statuses, iterations and their changes, commits and linked work items.</summary>
internal static class PullRequestsApi
{
    private const string Prs = GitApi.Repo + "/pullRequests";
    private const string Pr = Prs + "/{pullRequestId:int}";

    public static void Map(RouteGroupBuilder org)
    {
        DevOpsRoutes.Map(org, "GET", "/_apis/git/pullRequests", PullRequestsEndpoints.ListByProject);
        DevOpsRoutes.Map(org, "GET", "/_apis/git/pullRequests/{pullRequestId:int}", PullRequestsEndpoints.GetById);
        DevOpsRoutes.Map(org, "GET", Prs, PullRequestsEndpoints.List);
        DevOpsRoutes.Map(org, "POST", Prs, PullRequestsEndpoints.Create);
        DevOpsRoutes.Map(org, "GET", Pr, PullRequestsEndpoints.Get);
        DevOpsRoutes.Map(org, "PATCH", Pr, PullRequestsEndpoints.Update);

        DevOpsRoutes.Map(org, "GET", Pr + "/reviewers", ReviewersEndpoints.List);
        DevOpsRoutes.Map(org, "POST", Pr + "/reviewers", ReviewersEndpoints.AddMany);
        DevOpsRoutes.Map(org, "GET", Pr + "/reviewers/{reviewerId}", ReviewersEndpoints.Get);
        DevOpsRoutes.Map(org, "PUT", Pr + "/reviewers/{reviewerId}", ReviewersEndpoints.Put);
        DevOpsRoutes.Map(org, "PATCH", Pr + "/reviewers/{reviewerId}", ReviewersEndpoints.Put);
        DevOpsRoutes.Map(org, "DELETE", Pr + "/reviewers/{reviewerId}", ReviewersEndpoints.Delete);

        DevOpsRoutes.Map(org, "GET", Pr + "/threads", ThreadsEndpoints.List);
        DevOpsRoutes.Map(org, "POST", Pr + "/threads", ThreadsEndpoints.Create);
        DevOpsRoutes.Map(org, "GET", Pr + "/threads/{threadId:int}", ThreadsEndpoints.Get);
        DevOpsRoutes.Map(org, "PATCH", Pr + "/threads/{threadId:int}", ThreadsEndpoints.Update);
        DevOpsRoutes.Map(org, "GET", Pr + "/threads/{threadId:int}/comments", CommentsEndpoints.List);
        DevOpsRoutes.Map(org, "POST", Pr + "/threads/{threadId:int}/comments", CommentsEndpoints.Create);
        DevOpsRoutes.Map(org, "GET", Pr + "/threads/{threadId:int}/comments/{commentId:int}", CommentsEndpoints.Get);
        DevOpsRoutes.Map(org, "PATCH", Pr + "/threads/{threadId:int}/comments/{commentId:int}", CommentsEndpoints.Update);
        DevOpsRoutes.Map(org, "DELETE", Pr + "/threads/{threadId:int}/comments/{commentId:int}", CommentsEndpoints.Delete);

        DevOpsRoutes.Map(org, "GET", Pr + "/statuses", PullRequestStatusesEndpoints.List);
        DevOpsRoutes.Map(org, "POST", Pr + "/statuses", PullRequestStatusesEndpoints.Create);
        DevOpsRoutes.Map(org, "GET", Pr + "/statuses/{statusId:int}", PullRequestStatusesEndpoints.Get);
        DevOpsRoutes.Map(org, "GET", Pr + "/iterations", PullRequestIterationsEndpoints.List);
        DevOpsRoutes.Map(org, "GET", Pr + "/iterations/{iterationId:int}", PullRequestIterationsEndpoints.Get);
        DevOpsRoutes.Map(org, "GET", Pr + "/iterations/{iterationId:int}/changes", PullRequestIterationsEndpoints.Changes);
        DevOpsRoutes.Map(org, "GET", Pr + "/iterations/{iterationId:int}/commits", PullRequestIterationsEndpoints.IterationCommits);
        DevOpsRoutes.Map(org, "GET", Pr + "/commits", PullRequestIterationsEndpoints.Commits);
        DevOpsRoutes.Map(org, "GET", Pr + "/workitems", PullRequestWorkItems.List);
    }
}
