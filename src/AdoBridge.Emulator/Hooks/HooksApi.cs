using Microsoft.AspNetCore.Routing;

namespace AdoBridge.Emulator;

/// <summary>Service hook subscription routes (organisation level).</summary>
internal static class HooksApi
{
    public static void Map(RouteGroupBuilder org)
    {
        DevOpsRoutes.OrgOnly(org, "GET", "/_apis/hooks/subscriptions", SubscriptionsEndpoints.List);
        DevOpsRoutes.OrgOnly(org, "POST", "/_apis/hooks/subscriptions", SubscriptionsEndpoints.Create);
        DevOpsRoutes.OrgOnly(org, "GET", "/_apis/hooks/subscriptions/{subscriptionId:guid}", SubscriptionsEndpoints.Get);
        DevOpsRoutes.OrgOnly(org, "PUT", "/_apis/hooks/subscriptions/{subscriptionId:guid}", SubscriptionsEndpoints.Replace);
        DevOpsRoutes.OrgOnly(org, "DELETE", "/_apis/hooks/subscriptions/{subscriptionId:guid}", SubscriptionsEndpoints.Delete);
    }
}
