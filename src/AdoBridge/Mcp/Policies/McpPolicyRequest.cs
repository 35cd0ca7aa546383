using System.ComponentModel;

namespace AdoBridge.Mcp.Policies;

/// <summary>PUT /v1/admin/mcp/policies/{subject}: the whole policy (what is left out allows all).</summary>
internal sealed record McpPolicyRequest(
    [property: Description("Toolsets the caller may use (`core` is always allowed); omit for all, `[]` for `core` only. Microsoft's names (`wit`) are accepted.")] IReadOnlyList<string>? Toolsets,
    [property: Description("Only read-only tools (default false).")] bool? ReadOnly,
    [property: Description("Organisations (or Azure DevOps Server collections, by name) the caller may reach, as `list_organizations` names them; omit for all.")] IReadOnlyList<string>? Organizations,
    [property: Description("Projects the caller may reach, as `organisation/project` (the project by name or id); omit for all. With projects, tools that name no project are refused (except list_organizations and list_projects).")] IReadOnlyList<string>? Projects,
    [property: Description("Destructive tools (destructiveHint) wait for a person's approval (default false).")] bool? ApproveDestructive)
{
    private const int MaxEntries = 100;
    private const int MaxNameLength = 256;

    /// <summary>A policy that passed validation, its toolsets in their canonical names.</summary>
    internal sealed record Valid(IReadOnlyList<string>? Toolsets, bool ReadOnly, IReadOnlyList<string>? Organizations, IReadOnlyList<string>? Projects, bool ApproveDestructive);

    /// <summary>The validated policy, or an error that names the field, the value and the fix.</summary>
    public (Valid? Policy, string? Error) Validate(IReadOnlyList<string> toolsets, IReadOnlyDictionary<string, string> toolsetAliases)
    {
        List<string>? canonical = null;
        if (Toolsets is not null)
        {
            if (Toolsets.Count > MaxEntries)
            {
                return (null, $"`toolsets` has {Toolsets.Count} entries; there are only {toolsets.Count} toolsets.");
            }

            canonical = [];
            foreach (var name in Toolsets)
            {
                var toolset = name is null ? null : toolsetAliases.GetValueOrDefault(name.Trim(), name.Trim().ToLowerInvariant());
                if (toolset is null || !toolsets.Contains(toolset))
                {
                    return (null, $"`toolsets` names '{Cut(name)}', which is not a toolset. Toolsets: {string.Join(", ", toolsets)}.");
                }

                if (!canonical.Contains(toolset))
                {
                    canonical.Add(toolset);
                }
            }
        }

        if (Names(Organizations, "organizations", "fabrikam") is { } orgError)
        {
            return (null, orgError);
        }

        if (Names(Projects, "projects", "fabrikam/Fabrikam-Fiber-Git") is { } projectError)
        {
            return (null, projectError);
        }

        foreach (var project in Projects ?? [])
        {
            var slash = project.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == project.Length - 1 || project.IndexOf('/', slash + 1) >= 0)
            {
                return (null, $"`projects` entry '{Cut(project)}' must be `organisation/project`, e.g. fabrikam/Fabrikam-Fiber-Git (a Server collection's name as the organisation).");
            }

            if (Organizations is not null && !Organizations.Contains(project[..slash].Trim(), StringComparer.OrdinalIgnoreCase))
            {
                return (null, $"`projects` entry '{Cut(project)}' is in '{Cut(project[..slash])}', which `organizations` leaves out: add the organisation, or drop the project.");
            }
        }

        foreach (var org in Organizations ?? [])
        {
            if (org.Contains('/', StringComparison.Ordinal))
            {
                return (null, $"`organizations` entry '{Cut(org)}' must be a name as list_organizations gives it (fabrikam, DefaultCollection), not a URL or path.");
            }
        }

        return (new Valid(canonical, ReadOnly ?? false, Trimmed(Organizations), Trimmed(Projects)?.Select(p => string.Join('/', p.Split('/').Select(s => s.Trim()))).ToList(),
            ApproveDestructive ?? false), null);
    }

    private static string? Names(IReadOnlyList<string>? names, string field, string example)
    {
        if (names is null)
        {
            return null;
        }

        if (names.Count is 0 or > MaxEntries)
        {
            return $"`{field}` must list 1 to {MaxEntries} entries (e.g. [\"{example}\"]); leave it out to allow all.";
        }

        var bad = names.FirstOrDefault(n => string.IsNullOrWhiteSpace(n) || n.Length > MaxNameLength || n.Any(char.IsControl));
        return bad is not null || names.Any(n => n is null)
            ? $"`{field}` entries must be names of 1 to {MaxNameLength} characters without control characters (e.g. \"{example}\"); '{Cut(bad)}' is not."
            : null;
    }

    private static List<string>? Trimmed(IReadOnlyList<string>? names) => names?.Select(n => n.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private static string Cut(string? value) => value is null ? "null" : value.Length <= 64 ? value : value[..64] + "…";
}
