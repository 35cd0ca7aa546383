using System.Security.Claims;
using AdoBridge.ApiKeys;
using AdoBridge.Problems;
using AdoBridge.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Mcp;

/// <summary>The MCP endpoint (/mcp, for agents) and its audit (/v1/mcp/calls, for the product and operators).</summary>
internal static class McpApi
{
    public const string Path = "/mcp";

    /// <summary>
    /// /mcp with an API key (`Authorization: Bearer`, the product policy, 401 problem details without one), the per-key rate
    /// limit, and <see cref="McpRequestGuard"/> before the SDK. Not in the OpenAPI document: it speaks JSON-RPC, described by MCP.
    /// </summary>
    public static WebApplication MapMcp(this WebApplication app)
    {
        var mcp = McpEndpointRouteBuilderExtensions.MapMcp(app, Path)
            .RequireAuthorization(ApiKeysServiceCollectionExtensions.ProductPolicy)
            .RequireRateLimiting(RateLimitingServiceCollectionExtensions.McpPolicy)
            .ExcludeFromDescription();
        mcp.Add(endpoint =>
        {
            var inner = endpoint.RequestDelegate!;
            endpoint.RequestDelegate = async http =>
            {
                if (await http.RequestServices.GetRequiredService<McpRequestGuard>().AdmitAsync(http))
                {
                    await inner(http);
                }
            };
        });

        app.MapGroup("/v1/mcp").RequireAuthorization(ApiKeysServiceCollectionExtensions.ProductPolicy)
            .MapGet("/calls", ListCallsAsync).WithTags("MCP")
            .WithName("listMcpCalls").WithProblemCodes(StatusCodes.Status400BadRequest, "invalid_filter").WithSummary("List MCP tool calls")
            .WithDescription("The MCP audit of this key's environment, oldest first: each tool call with its API key, connection, organisation, tool, arguments (secrets redacted), outcome (`ok` or the error code), the last Azure DevOps status and the duration. Filter by tool, connectionId, keyId, outcome (a code, `ok` or `error`), since/until; page with `cursor`.");
        return app;
    }

    private static async Task<Results<Ok<McpCallList>, ProblemHttpResult>> ListCallsAsync(
        ClaimsPrincipal user, McpCallLog log, string? tool, string? connectionId, string? keyId, string? outcome, DateTimeOffset? since, DateTimeOffset? until,
        string? cursor, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 500)
        {
            return Problem.BadRequest("invalid_filter", "`limit` must be between 1 and 500 (default 100).");
        }

        if (since is not null && until is not null && since > until)
        {
            return Problem.BadRequest("invalid_filter", "`since` is after `until`: swap them, or leave one out.");
        }

        return TypedResults.Ok(await log.ListAsync(user.EnvironmentId(), new McpCallFilter(tool, connectionId, keyId, outcome, since, until, cursor, limit ?? 100), ct));
    }
}
