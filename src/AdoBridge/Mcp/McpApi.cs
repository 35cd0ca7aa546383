using System.ComponentModel;
using System.Security.Claims;
using AdoBridge.ApiKeys;
using AdoBridge.McpOAuth;
using AdoBridge.Problems;
using AdoBridge.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Mcp;

/// <summary>The MCP endpoint (/mcp, for agents) and its audit (/v1/mcp/calls, for the product and operators).</summary>
internal static class McpApi
{
    public const string Path = "/mcp";

    /// <summary>
    /// /mcp with an API key or an MCP access token AdoBridge issued (`Authorization: Bearer`, the product policy, 401 problem
    /// details and the RFC 9728 challenge without one: <see cref="McpAuthenticationHandler"/>), the per-key rate
    /// limit, and <see cref="McpRequestGuard"/> before the SDK. Not in the OpenAPI document: it speaks JSON-RPC, described by MCP.
    /// </summary>
    public static WebApplication MapMcp(this WebApplication app)
    {
        var mcp = McpEndpointRouteBuilderExtensions.MapMcp(app, Path)
            .RequireAuthorization(new AuthorizeAttribute(ApiKeysServiceCollectionExtensions.ProductPolicy) { AuthenticationSchemes = McpAuthenticationHandler.SchemeName })
            .RequireRateLimiting(RateLimitingServiceCollectionExtensions.McpPolicy)
            .ExcludeFromDescription();
        mcp.Add(endpoint =>
        {
            var inner = endpoint.RequestDelegate!;
            endpoint.RequestDelegate = async http =>
            {
                if (await http.RequestServices.GetRequiredService<McpRequestGuard>().AdmitAsync(http))
                {
                    await McpInitializeFirst.InvokeAsync(http, inner);
                }
            };
        });

        app.MapGroup("/v1/mcp").RequireAuthorization(ApiKeysServiceCollectionExtensions.ProductPolicy)
            .MapGet("/calls", ListCallsAsync).WithTags("MCP")
            .WithName("listMcpCalls").WithProblemCodes(StatusCodes.Status400BadRequest, "invalid_filter").WithSummary("List MCP tool calls")
            .WithDescription("The MCP audit of this key's environment, oldest first: each tool call with its API key, connection, organisation, tool, arguments (secrets redacted), outcome (`ok` or the error code), the approval it asked for or used, the last Azure DevOps status and the duration. Filter by tool, connectionId, keyId, outcome (a code, `ok` or `error`), since/until; page with `cursor`.");

        // Policies and approvals are the operator's: an admin key, so an agent's product key can neither widen its own policy nor approve its own calls.
        app.MapGroup("/v1/admin/mcp").RequireAuthorization(ApiKeysServiceCollectionExtensions.AdminPolicy).WithTags("MCP")
            .MapMcpPoliciesApi()
            .MapMcpApprovalsApi();
        return app;
    }

    private static async Task<Results<Ok<McpCallList>, ProblemHttpResult>> ListCallsAsync(
        ClaimsPrincipal user, McpCallLog log,
        [Description("Only calls of this tool (its name as called).")] string? tool,
        [Description("Only calls made as this connection (`conn_…`).")] string? connectionId,
        [Description("Only calls made with this API key (its id, the part after `adbk_` and before the next `_`).")] string? keyId,
        [Description("Only calls with this outcome: `ok`, `error` (every failure), or an error code such as `azure_devops_error`.")] string? outcome,
        [Description("Only calls at or after this time (ISO 8601).")] DateTimeOffset? since,
        [Description("Only calls before this time (ISO 8601).")] DateTimeOffset? until,
        [Description("Where the previous page ended: its `nextCursor`. Omit for the first page.")] string? cursor,
        [Description("At most this many calls in the page (1 to 500; default 100).")] int? limit,
        CancellationToken ct)
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
