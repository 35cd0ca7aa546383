using System.Text.Json;
using AdoBridge.Storage;

namespace AdoBridge.Mcp.Policies;

/// <summary>
/// The operator's limits for one MCP caller, enforced on every tools/list and tools/call: the toolsets it may use (`core`
/// always), read-only, the organisations (or Server collections) and projects it may reach, and whether its destructive
/// calls wait for a person's approval. A null list allows all. The X-MCP-* headers can narrow it, never widen it.
/// </summary>
internal sealed record McpPolicy(
    string Subject, string EnvironmentId, IReadOnlyList<string>? Toolsets, bool ReadOnly, IReadOnlyList<string>? Organizations,
    IReadOnlyList<string>? Projects, bool ApproveDestructive, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The toolset every policy allows: finding organisations, projects and people.</summary>
    public const string AlwaysAllowedToolset = "core";

    /// <summary>Where an operator sees and changes this policy.</summary>
    public string Route => "/v1/admin/mcp/policies/" + Subject;

    /// <summary>Null when the policy allows the tool, else why not (for the tool error).</summary>
    public string? RefuseTool(string name, string toolset, bool readOnly)
    {
        if (ReadOnly && !readOnly)
        {
            return $"The MCP policy for {Subject} is read-only, and '{name}' changes Azure DevOps. An operator can change the policy ({Route}).";
        }

        if (Toolsets is not null && toolset != AlwaysAllowedToolset && !Toolsets.Contains(toolset, StringComparer.Ordinal))
        {
            return $"The MCP policy for {Subject} allows the toolsets {string.Join(", ", Toolsets.Prepend(AlwaysAllowedToolset).Distinct())}; '{name}' is in '{toolset}'. An operator can change the policy ({Route}).";
        }

        return null;
    }

    /// <summary>Null when the policy allows the organisation (or Server collection), else why not.</summary>
    public string? RefuseOrganization(string organization)
        => Organizations is null || Organizations.Contains(organization, StringComparer.OrdinalIgnoreCase) ? null
            : $"The MCP policy for {Subject} allows the organisations {string.Join(", ", Organizations)}, not '{Cut(organization)}'. An operator can change the policy ({Route}).";

    /// <summary>Null when the policy allows the project (`organisation/project`), else why not. Without `projects`, every project is allowed.</summary>
    public string? RefuseProject(string organization, string? project)
    {
        if (Projects is null)
        {
            return null;
        }

        if (project is null)
        {
            return $"The MCP policy for {Subject} allows only the projects {string.Join(", ", Projects)}: name one in `project`. An operator can change the policy ({Route}).";
        }

        return Projects.Contains(organization + "/" + project, StringComparer.OrdinalIgnoreCase) ? null
            : $"The MCP policy for {Subject} allows the projects {string.Join(", ", Projects)}, not '{Cut(organization)}/{Cut(project)}' (a project is matched by the name or id the policy gives). An operator can change the policy ({Route}).";
    }

    public static McpPolicy From(McpPolicyEntity e) => new(
        e.Subject, e.EnvironmentId, List(e.Toolsets), e.ReadOnly, List(e.Organizations), List(e.Projects), e.ApproveDestructive, e.CreatedAt, e.UpdatedAt);

    public static string? Json(IReadOnlyList<string>? values) => values is null ? null : JsonSerializer.Serialize(values);

    private static List<string>? List(string? json) => json is null ? null : JsonSerializer.Deserialize<List<string>>(json);

    private static string Cut(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
