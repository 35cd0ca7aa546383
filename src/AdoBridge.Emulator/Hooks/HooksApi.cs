using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AdoBridge.Emulator;

/// <summary>Service hook subscription and consumer routes (organisation level).</summary>
internal static class HooksApi
{
    public static void Map(RouteGroupBuilder org)
    {
        DevOpsRoutes.OrgOnly(org, "GET", "/_apis/hooks/subscriptions", SubscriptionsEndpoints.List);
        DevOpsRoutes.OrgOnly(org, "POST", "/_apis/hooks/subscriptions", SubscriptionsEndpoints.Create);
        DevOpsRoutes.OrgOnly(org, "GET", "/_apis/hooks/subscriptions/{subscriptionId:guid}", SubscriptionsEndpoints.Get);
        DevOpsRoutes.OrgOnly(org, "PUT", "/_apis/hooks/subscriptions/{subscriptionId:guid}", SubscriptionsEndpoints.Replace);
        DevOpsRoutes.OrgOnly(org, "DELETE", "/_apis/hooks/subscriptions/{subscriptionId:guid}", SubscriptionsEndpoints.Delete);
        DevOpsRoutes.OrgOnly(org, "GET", "/_apis/hooks/consumers", SubscriptionsEndpoints.Consumers);
        DevOpsRoutes.OrgOnly(org, "GET", "/_apis/hooks/consumers/{consumerId}", SubscriptionsEndpoints.Consumer);
    }
}

/// <summary>Admin routes for service hooks that only an operator of the service could see: a subscription's stored consumer
/// inputs, confidential ones included (tests read the secret AdoBridge gave a hook here, as Azure DevOps never shows it).</summary>
internal static class HooksAdminApi
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/hooks/subscriptions/{subscriptionId:guid}/consumer-inputs", (Guid subscriptionId, EmulatorState s) =>
            s.HookConsumerInputs(subscriptionId) is { } inputs ? Results.Json(inputs) : Results.NotFound());
    }
}
