using System.Security.Claims;
using AdoBridge.ApiKeys;
using AdoBridge.Connections;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Proxy;

internal static class ProxyApi
{
    public static RouteGroupBuilder MapProxyApi(this RouteGroupBuilder v1)
    {
        // Calls with a valid API key are served by ProxyFastPath before routing; this endpoint answers the rest (401s) and describes the route.
        v1.Map("/proxy/{connectionId}/{**rest}", (HttpContext http, string connectionId, ProxyHandler proxy) => proxy.HandleAsync(http, http.User.EnvironmentId(), connectionId))
            .WithTags("Proxy")
            .WithSummary($"Any method: forwards to Azure DevOps as the connection. Targets: {ProxyTarget.Forms}. Use {{base}}/v1/proxy/{{id}}/{{organization}} as an organisation URL.");
        v1.MapGet("/connections/{id}/proxy-stats", StatsAsync).WithTags("Proxy").WithName("getProxyStats").WithSummary("Get proxy counters for a connection")
            .WithDescription("This instance's proxy counters for a connection.");
        return v1;
    }

    private static async Task<Results<Ok<ProxyStats.Snapshot>, ProblemHttpResult>> StatsAsync(string id, ClaimsPrincipal user, ConnectionService connections, ProxyStats stats, CancellationToken ct)
        => await connections.FindAsync(user.EnvironmentId(), id, ct) is null
            ? Problem.NotFound("connection_not_found", $"There is no connection '{id}' in this API key's environment.")
            : TypedResults.Ok(stats.Get(id));
}
