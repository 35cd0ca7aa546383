using Microsoft.AspNetCore.Routing;

namespace AdoBridge.Emulator;

/// <summary>Work item tracking routes: work items, batch, recycle bin, comments, updates and revisions, types, fields, classification nodes and WIQL.</summary>
internal static class WorkItemsApi
{
    public static void Map(RouteGroupBuilder org)
    {
        DevOpsRoutes.Map(org, "GET", "/_apis/wit/workitems", WorkItemsEndpoints.List);
        DevOpsRoutes.Map(org, "GET", "/_apis/wit/workitems/{id:int}", WorkItemsEndpoints.Get);
        DevOpsRoutes.Map(org, "PATCH", "/_apis/wit/workitems/{id:int}", WorkItemsEndpoints.Update);
        DevOpsRoutes.Map(org, "DELETE", "/_apis/wit/workitems/{id:int}", RecycleBinEndpoints.Delete);
        DevOpsRoutes.ProjectOnly(org, "POST", "/_apis/wit/workitems/{type}", WorkItemsEndpoints.Create);
        DevOpsRoutes.Map(org, "POST", "/_apis/wit/workitemsbatch", WorkItemsEndpoints.Batch);

        DevOpsRoutes.Map(org, "GET", "/_apis/wit/recyclebin/{id:int}", RecycleBinEndpoints.Get);
        DevOpsRoutes.Map(org, "PATCH", "/_apis/wit/recyclebin/{id:int}", RecycleBinEndpoints.Restore);
        DevOpsRoutes.Map(org, "DELETE", "/_apis/wit/recyclebin/{id:int}", RecycleBinEndpoints.Destroy);

        DevOpsRoutes.Map(org, "GET", "/_apis/wit/workitems/{id:int}/comments", WorkItemCommentsEndpoints.List);
        DevOpsRoutes.Map(org, "POST", "/_apis/wit/workitems/{id:int}/comments", WorkItemCommentsEndpoints.Add);
        DevOpsRoutes.Map(org, "GET", "/_apis/wit/workitems/{id:int}/comments/{commentId:int}", WorkItemCommentsEndpoints.Get);
        DevOpsRoutes.Map(org, "PATCH", "/_apis/wit/workitems/{id:int}/comments/{commentId:int}", WorkItemCommentsEndpoints.Update);
        DevOpsRoutes.Map(org, "DELETE", "/_apis/wit/workitems/{id:int}/comments/{commentId:int}", WorkItemCommentsEndpoints.Delete);

        DevOpsRoutes.Map(org, "GET", "/_apis/wit/workitems/{id:int}/updates", WorkItemHistoryEndpoints.Updates);
        DevOpsRoutes.Map(org, "GET", "/_apis/wit/workitems/{id:int}/updates/{updateNumber:int}", WorkItemHistoryEndpoints.Update);
        DevOpsRoutes.Map(org, "GET", "/_apis/wit/workitems/{id:int}/revisions", WorkItemHistoryEndpoints.Revisions);
        DevOpsRoutes.Map(org, "GET", "/_apis/wit/workitems/{id:int}/revisions/{revisionNumber:int}", WorkItemHistoryEndpoints.Revision);

        DevOpsRoutes.ProjectOnly(org, "GET", "/_apis/wit/workitemtypes", WorkItemTypesEndpoints.List);
        DevOpsRoutes.ProjectOnly(org, "GET", "/_apis/wit/workitemtypes/{type}", WorkItemTypesEndpoints.Get);
        DevOpsRoutes.ProjectOnly(org, "GET", "/_apis/wit/workitemtypes/{type}/states", WorkItemTypesEndpoints.States);
        DevOpsRoutes.Map(org, "GET", "/_apis/wit/fields", WorkItemTypesEndpoints.Fields);
        DevOpsRoutes.Map(org, "GET", "/_apis/wit/fields/{field}", WorkItemTypesEndpoints.FieldGet);
        DevOpsRoutes.ProjectOnly(org, "GET", "/_apis/wit/classificationnodes", ClassificationNodesEndpoints.Roots);
        DevOpsRoutes.ProjectOnly(org, "GET", "/_apis/wit/classificationnodes/{structureGroup}/{**path}", ClassificationNodesEndpoints.Get);

        DevOpsRoutes.Map(org, "POST", "/_apis/wit/wiql", WiqlEndpoint.Query);
        DevOpsRoutes.ProjectOnly(org, "POST", "/{team}/_apis/wit/wiql", WiqlEndpoint.Query);
    }
}
