namespace AdoBridge.Emulator;

/// <summary>A scope parameter split into Azure DevOps scopes (short form, e.g. "vso.project") and OpenID scopes.</summary>
internal sealed record ParsedScopes(IReadOnlyList<string> Resource, bool OfflineAccess, bool OpenId, IReadOnlyList<string> Oidc, IReadOnlyList<string> Invalid)
{
    /// <summary>What a token carries in `scp`: `.default` stands for the app's configured permission, user_impersonation.</summary>
    public IReadOnlyList<string> Granted =>
        Resource.Select(s => s == ".default" ? "user_impersonation" : s).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
}

internal static class EntraScopes
{
    private static readonly string[] OidcScopes = ["openid", "profile", "email", "offline_access"];

    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["user_impersonation"] = "Have full access to Azure DevOps on your behalf",
        ["vso.code"] = "Read your source code and metadata about commits, branches and pull requests",
        ["vso.code_write"] = "Read, update and delete source code, and create and manage pull requests",
        ["vso.code_status"] = "Read and write commit and pull request status",
        ["vso.project"] = "Read projects and teams",
        ["vso.project_write"] = "Read and update projects and teams",
        ["vso.profile"] = "Read your profile, accounts and collections",
        ["vso.work"] = "Read work items, queries, boards and area and iteration paths",
        ["vso.work_write"] = "Read, create and update work items and queries",
        ["vso.build"] = "Read build artifacts and definitions",
        ["vso.build_execute"] = "Read, queue and update builds",
        ["vso.threads_full"] = "Read and write pull request comment threads",
        ["vso.hooks_write"] = "Create and manage service hook subscriptions",
        ["offline_access"] = "Maintain access to data you have given it access to",
        ["openid"] = "Sign you in",
        ["profile"] = "View your basic profile",
        ["email"] = "View your email address",
    };

    public static ParsedScopes Parse(string? scope)
    {
        var resource = new List<string>();
        var oidc = new List<string>();
        var invalid = new List<string>();
        foreach (var item in (scope ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (OidcScopes.Contains(item, StringComparer.OrdinalIgnoreCase))
            {
                oidc.Add(item.ToLowerInvariant());
            }
            else if (StripResource(item) is { } shortName && (shortName is ".default" or "user_impersonation" || shortName.StartsWith("vso.", StringComparison.OrdinalIgnoreCase)))
            {
                resource.Add(shortName);
            }
            else
            {
                invalid.Add(item);
            }
        }

        return new ParsedScopes(resource, oidc.Contains("offline_access"), oidc.Contains("openid"), oidc.Distinct().ToArray(), invalid);
    }

    /// <summary>"499b84ac-…/vso.code" or "https://app.vssps.visualstudio.com/vso.code" → "vso.code"; other resources → null.</summary>
    public static string? StripResource(string scope)
    {
        foreach (var prefix in new[] { EmulatorDefaults.AzureDevOpsResourceId + "/", EmulatorDefaults.AzureDevOpsResourceUri + "/" })
        {
            if (scope.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return scope[prefix.Length..];
            }
        }

        return null;
    }

    /// <summary>The `scope` value of a token response: resource-qualified Azure DevOps scopes, then the OpenID ones.</summary>
    public static string ResponseScope(IEnumerable<string> granted, IEnumerable<string> oidc) =>
        string.Join(' ', granted.Select(s => $"{EmulatorDefaults.AzureDevOpsResourceId}/{s}").Concat(oidc));

    public static string Describe(string scope) => Descriptions.TryGetValue(scope, out var text) ? $"{text} ({scope})" : scope;

    /// <summary>True when a token's scopes allow a call needing <paramref name="required"/> (a broader scope such as
    /// vso.project_write covers vso.project; user_impersonation and full-access PATs cover everything).</summary>
    public static bool Covers(IEnumerable<string> granted, string required) =>
        granted.Any(g => g is "user_impersonation" or "app_token" or "*" ||
                         string.Equals(g, required, StringComparison.OrdinalIgnoreCase) ||
                         Broader(g, required));

    // Within one family a scope covers the narrower ones: vso.work_full covers vso.work_write and vso.work; vso.build_execute
    // covers vso.build. vso.code_status is its own family, not a level of vso.code.
    private static readonly string[] Levels = ["", "write", "manage", "full"];

    private static bool Broader(string granted, string required)
    {
        var (grantedBase, grantedLevel) = Split(granted);
        var (requiredBase, requiredLevel) = Split(required);
        if (!string.Equals(grantedBase, requiredBase, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (grantedLevel == "execute")
        {
            return requiredLevel.Length == 0;
        }

        var g = Array.IndexOf(Levels, grantedLevel);
        var r = Array.IndexOf(Levels, requiredLevel);
        return g >= 0 && r >= 0 && g > r;
    }

    private static (string Base, string Level) Split(string scope)
    {
        var underscore = scope.LastIndexOf('_');
        if (underscore > 0)
        {
            var level = scope[(underscore + 1)..].ToLowerInvariant();
            if (level is "write" or "manage" or "full" or "execute")
            {
                return (scope[..underscore], level);
            }
        }

        return (scope, string.Empty);
    }
}
