using Microsoft.AspNetCore.Routing;

namespace AdoBridge.Emulator;

/// <summary>Pipelines REST routes: pipelines (list, get) and runs (run, list, get).</summary>
internal static class PipelinesApi
{
    public static void Map(RouteGroupBuilder org)
    {
        DevOpsRoutes.ProjectOnly(org, "GET", "/_apis/pipelines", PipelinesEndpoints.List);
        DevOpsRoutes.ProjectOnly(org, "GET", "/_apis/pipelines/{pipelineId:int}", PipelinesEndpoints.Get);
        DevOpsRoutes.ProjectOnly(org, "POST", "/_apis/pipelines/{pipelineId:int}/runs", PipelinesEndpoints.Run);
        DevOpsRoutes.ProjectOnly(org, "GET", "/_apis/pipelines/{pipelineId:int}/runs", PipelinesEndpoints.ListRuns);
        DevOpsRoutes.ProjectOnly(org, "GET", "/_apis/pipelines/{pipelineId:int}/runs/{runId:int}", PipelinesEndpoints.GetRun);
    }
}
