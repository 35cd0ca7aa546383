using Microsoft.AspNetCore.Routing;

namespace AdoBridge.Emulator;

/// <summary>Git REST routes: repositories, refs, commits, items, pushes and commit statuses.</summary>
internal static class GitApi
{
    public const string Repo = "/_apis/git/repositories/{repositoryId}";

    public static void Map(RouteGroupBuilder org)
    {
        DevOpsRoutes.Map(org, "GET", "/_apis/git/repositories", RepositoriesEndpoints.List);
        DevOpsRoutes.Map(org, "GET", Repo, RepositoriesEndpoints.Get);
        DevOpsRoutes.Map(org, "GET", Repo + "/refs", RepositoriesEndpoints.Refs);
        DevOpsRoutes.Map(org, "POST", Repo + "/refs", RepositoriesEndpoints.UpdateRefs);
        DevOpsRoutes.Map(org, "GET", Repo + "/commits", CommitsEndpoints.List);
        DevOpsRoutes.Map(org, "GET", Repo + "/commits/{commitId}", CommitsEndpoints.Get);
        DevOpsRoutes.Map(org, "GET", Repo + "/commits/{commitId}/changes", CommitChangesEndpoints.Get);
        DevOpsRoutes.Map(org, "GET", Repo + "/commits/{commitId}/statuses", CommitsEndpoints.ListStatuses);
        DevOpsRoutes.Map(org, "POST", Repo + "/commits/{commitId}/statuses", CommitsEndpoints.CreateStatus);
        DevOpsRoutes.Map(org, "GET", Repo + "/items", ItemsEndpoints.Get);
        DevOpsRoutes.Map(org, "GET", Repo + "/pushes", PushesEndpoints.List);
        DevOpsRoutes.Map(org, "GET", Repo + "/pushes/{pushId:int}", PushesEndpoints.Get);
        DevOpsRoutes.Map(org, "POST", Repo + "/pushes", PushesEndpoints.Create);
    }
}
