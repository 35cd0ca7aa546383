using Microsoft.AspNetCore.Routing;

namespace AdoBridge.Emulator;

/// <summary>Build REST routes: definitions (list, get), builds (list, get, queue) and a build's logs. A definition is a
/// pipeline and a build is a pipeline run, as in Azure DevOps, where both APIs read the same data.</summary>
internal static class BuildsApi
{
    public static void Map(RouteGroupBuilder org)
    {
        DevOpsRoutes.ProjectOnly(org, "GET", "/_apis/build/definitions", BuildsEndpoints.Definitions);
        DevOpsRoutes.ProjectOnly(org, "GET", "/_apis/build/definitions/{definitionId:int}", BuildsEndpoints.Definition);
        DevOpsRoutes.ProjectOnly(org, "GET", "/_apis/build/builds", BuildsEndpoints.List);
        DevOpsRoutes.ProjectOnly(org, "POST", "/_apis/build/builds", BuildsEndpoints.Queue);
        DevOpsRoutes.ProjectOnly(org, "GET", "/_apis/build/builds/{buildId:int}", BuildsEndpoints.Get);
        DevOpsRoutes.ProjectOnly(org, "GET", "/_apis/build/builds/{buildId:int}/logs", BuildLogsEndpoints.List);
        DevOpsRoutes.ProjectOnly(org, "GET", "/_apis/build/builds/{buildId:int}/logs/{logId:int}", BuildLogsEndpoints.Get);
    }
}
