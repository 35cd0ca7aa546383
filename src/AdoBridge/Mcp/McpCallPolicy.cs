using System.Text.Json;
using AdoBridge.Mcp.Policies;

namespace AdoBridge.Mcp;

/// <summary>A call the caller's policy refuses: the tool error's code and a detail naming the policy and the fix.</summary>
internal sealed record McpPolicyRefusal(string Code, string Detail);

/// <summary>
/// The operator's policy (<see cref="McpPolicy"/>) applied to tools: which ones tools/list shows, and whether a tools/call's
/// tool, organisation and project are allowed. Applied before the X-MCP-* headers, which can only narrow what is left.
/// </summary>
internal static class McpCallPolicy
{
    public const string ToolNotAllowed = "tool_not_allowed_by_policy";
    public const string OrganizationNotAllowed = "organization_not_allowed_by_policy";
    public const string ProjectNotAllowed = "project_not_allowed_by_policy";

    /// <summary>Tools that name no project but are allowed under a project list: they only find organisations and projects.</summary>
    private static readonly HashSet<string> Discovery = new(["list_organizations", "list_projects"], StringComparer.Ordinal);

    /// <summary>Whether the policy lets the caller see and call the tool at all (before its arguments are known).</summary>
    public static bool Allows(McpPolicy? policy, McpTool tool)
        => policy is null || (policy.RefuseTool(tool.Name, tool.Toolset, tool.ReadOnly) is null && (policy.Projects is null || TakesProject(tool) || Discovery.Contains(tool.Name)));

    /// <summary>Null when the policy allows this call, else the refusal.</summary>
    public static McpPolicyRefusal? Check(McpPolicy? policy, McpTool tool, IReadOnlyDictionary<string, JsonElement> arguments)
    {
        if (policy is null)
        {
            return null;
        }

        if (policy.RefuseTool(tool.Name, tool.Toolset, tool.ReadOnly) is { } toolRefusal)
        {
            return new McpPolicyRefusal(ToolNotAllowed, toolRefusal);
        }

        if (policy.Projects is not null && !TakesProject(tool) && !Discovery.Contains(tool.Name))
        {
            return new McpPolicyRefusal(ToolNotAllowed,
                $"The MCP policy for {policy.Subject} allows only the projects {string.Join(", ", policy.Projects)}, and '{tool.Name}' names no project, so it could reach others. An operator can change the policy ({policy.Route}).");
        }

        if (Text(arguments, McpToolInput.OrganizationArgument) is not { } organization)
        {
            // No organisation: list_organizations, or a call the required-argument check refuses next.
            return null;
        }

        if (policy.RefuseOrganization(organization) is { } orgRefusal)
        {
            return new McpPolicyRefusal(OrganizationNotAllowed, orgRefusal);
        }

        return TakesProject(tool) && policy.RefuseProject(organization, Text(arguments, "project")) is { } projectRefusal
            ? new McpPolicyRefusal(ProjectNotAllowed, projectRefusal)
            : null;
    }

    private static bool TakesProject(McpTool tool)
        => tool.Protocol.InputSchema.TryGetProperty("properties", out var properties) && properties.TryGetProperty("project", out _);

    private static string? Text(IReadOnlyDictionary<string, JsonElement> arguments, string name)
        => arguments.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text.Trim() : null;
}
