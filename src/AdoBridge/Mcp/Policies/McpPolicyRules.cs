using AdoBridge.ApiKeys;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Mcp.Policies;

/// <summary>
/// The rules for setting and deleting an MCP policy, shared by the admin API (/v1/admin/mcp/policies) and the console so
/// there is one copy: the subject must parse, the policy must validate, a key subject must be a live key the actor
/// manages (its policy lives in the key's environment), and an existing policy of another environment is out of reach.
/// </summary>
internal static class McpPolicyRules
{
    public const string Route = "/v1/admin/mcp/policies";

    /// <summary>
    /// Creates or replaces the subject's policy; <paramref name="clientEnvironment"/> is where a client's policy goes (the
    /// actor's environment). Returns the policy and whether it was created, or the refusal.
    /// </summary>
    public static async Task<(McpPolicy? Policy, bool Created, ProblemHttpResult? Problem)> PutAsync(
        ApiKeyActor actor, string clientEnvironment, string subject, McpPolicyRequest request, McpPolicyStore policies, ApiKeyService keys, CancellationToken ct)
    {
        if (!McpPolicySubject.TryParse(subject, out var kind, out var id))
        {
            return (null, false, Problem.BadRequest("invalid_mcp_policy_subject",
                $"'{Cut(subject)}' is not a policy subject: use `key:<API key id>` (GET /v1/admin/api-keys lists the ids) or `client:<OAuth client id>`."));
        }

        var (valid, error) = request.Validate(McpToolCatalog.Toolsets, McpToolCatalog.ToolsetAliases);
        if (valid is null)
        {
            return (null, false, Problem.BadRequest("invalid_mcp_policy", error!));
        }

        var environment = clientEnvironment;
        if (kind == McpPolicySubject.KeyKind)
        {
            if (await keys.FindAsync(id, ct) is not { RevokedAt: null } key || !actor.MayManage(key.EnvironmentId))
            {
                return (null, false, Problem.NotFound("api_key_not_found",
                    $"There is no API key '{Cut(id)}' in your environment: GET /v1/admin/api-keys lists the keys (the id is the part after `adbk_` and before the next `_`)."));
            }

            environment = key.EnvironmentId;
        }

        if (await policies.FindAsync(subject, ct) is { } existing && !actor.MayManage(existing.EnvironmentId))
        {
            return (null, false, NotFound(subject));
        }

        var (policy, created) = await policies.PutAsync(subject, environment, valid, ct);
        return (policy, created, null);
    }

    /// <summary>Deletes the subject's policy if the actor may manage it; else the refusal.</summary>
    public static async Task<ProblemHttpResult?> DeleteAsync(ApiKeyActor actor, string subject, McpPolicyStore policies, CancellationToken ct)
    {
        if (await policies.FindAsync(subject, ct) is not { } policy || !actor.MayManage(policy.EnvironmentId))
        {
            return NotFound(subject);
        }

        await policies.DeleteAsync(subject, ct);
        return null;
    }

    public static ProblemHttpResult NotFound(string subject)
        => Problem.NotFound("mcp_policy_not_found", $"There is no MCP policy for '{Cut(subject)}' in your environment: GET {Route} lists them; PUT one to create it.");

    private static string Cut(string value) => value.Length <= 100 ? value : value[..100] + "…";
}
