using System.Security.Claims;
using AdoBridge.ApiKeys;
using AdoBridge.Hosting;
using AdoBridge.Mcp.Policies;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Mcp;

/// <summary>The operator's MCP policies (/v1/admin/mcp/policies, admin keys): one per subject, `key:&lt;API key id&gt;` or `client:&lt;OAuth client id&gt;`.</summary>
internal static class McpPoliciesApi
{
    public const string Route = McpPolicyRules.Route;

    public static RouteGroupBuilder MapMcpPoliciesApi(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/policies");
        group.MapGet("/", ListAsync).WithName("listMcpPolicies").WithSummary("List MCP policies")
            .WithDescription("The MCP policies of the key's environment (an owner key sees every environment's), by subject.");
        group.MapGet("/{subject}", GetAsync).WithName("getMcpPolicy").WithProblemCodes(StatusCodes.Status404NotFound, "mcp_policy_not_found").WithSummary("Get an MCP policy")
            .WithDescription("The policy for one subject: `key:<API key id>` or `client:<OAuth client id>`.");
        group.MapPut("/{subject}", PutAsync).WithName("putMcpPolicy")
            .WithRequestExample("""{"toolsets": ["repos", "pull_requests"], "readOnly": false, "organizations": ["fabrikam"], "projects": ["fabrikam/Fabrikam-Fiber-Git"], "approveDestructive": true}""")
            .WithProblemCodes(StatusCodes.Status400BadRequest, "invalid_mcp_policy", "invalid_mcp_policy_subject").WithProblemCodes(StatusCodes.Status404NotFound, "api_key_not_found")
            .WithSummary("Set an MCP policy")
            .WithDescription("Creates or replaces the policy for a subject (`key:<API key id>`, or `client:<OAuth client id>` for an interactive client). The server enforces it on /mcp: a tool outside it is absent from tools/list and refused on tools/call, a call to an organisation or project outside it is refused, and where `approveDestructive` is true a destructive tool waits for a person's approval. The X-MCP-* headers can only narrow it. Applies at once on this instance, within 5 seconds on others.");
        group.MapDelete("/{subject}", DeleteAsync).WithName("deleteMcpPolicy").WithProblemCodes(StatusCodes.Status404NotFound, "mcp_policy_not_found").WithSummary("Delete an MCP policy")
            .WithDescription("Removes the subject's policy: its calls are limited only by its headers again.");
        return admin;
    }

    /// <summary>A policy as the API shows it.</summary>
    internal sealed record McpPolicyView(
        string Subject, string Environment, IReadOnlyList<string>? Toolsets, bool ReadOnly, IReadOnlyList<string>? Organizations, IReadOnlyList<string>? Projects,
        bool ApproveDestructive, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
    {
        public static McpPolicyView From(McpPolicy p) => new(p.Subject, p.EnvironmentId, p.Toolsets, p.ReadOnly, p.Organizations, p.Projects, p.ApproveDestructive, p.CreatedAt, p.UpdatedAt);
    }

    internal sealed record McpPolicyList(IReadOnlyList<McpPolicyView> Items);

    private static async Task<Ok<McpPolicyList>> ListAsync(ClaimsPrincipal user, McpPolicyStore policies, CancellationToken ct)
        => TypedResults.Ok(new McpPolicyList((await policies.ListAsync(user.IsOwner() ? null : user.EnvironmentId(), ct)).Select(McpPolicyView.From).ToList()));

    private static async Task<Results<Ok<McpPolicyView>, ProblemHttpResult>> GetAsync(string subject, ClaimsPrincipal user, McpPolicyStore policies, CancellationToken ct)
        => await policies.FindAsync(subject, ct) is { } policy && user.MayManage(policy.EnvironmentId)
            ? TypedResults.Ok(McpPolicyView.From(policy))
            : NotFound(subject);

    private static async Task<Results<Ok<McpPolicyView>, Created<McpPolicyView>, ProblemHttpResult>> PutAsync(
        string subject, McpPolicyRequest request, ClaimsPrincipal user, McpPolicyStore policies, ApiKeyService keys, CancellationToken ct)
    {
        var (policy, created, problem) = await McpPolicyRules.PutAsync(ApiKeyActor.FromApiKey(user), user.EnvironmentId(), subject, request, policies, keys, ct);
        if (problem is not null)
        {
            return problem;
        }

        return created ? TypedResults.Created($"{Route}/{subject}", McpPolicyView.From(policy!)) : TypedResults.Ok(McpPolicyView.From(policy!));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string subject, ClaimsPrincipal user, McpPolicyStore policies, CancellationToken ct)
        => await McpPolicyRules.DeleteAsync(ApiKeyActor.FromApiKey(user), subject, policies, ct) is { } problem ? problem : TypedResults.NoContent();

    private static ProblemHttpResult NotFound(string subject) => McpPolicyRules.NotFound(subject);
}
