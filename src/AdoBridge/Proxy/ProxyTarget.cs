using AdoBridge.AzureDevOps;
using AdoBridge.Connections;
using AdoBridge.Storage;

namespace AdoBridge.Proxy;

/// <summary>
/// Maps the part of a proxy URL after the connection id to an Azure DevOps URL, and refuses everything else:
/// `{org}/…` → https://dev.azure.com/{org}/…, `~vssps/{org}/…` → https://vssps.dev.azure.com/{org}/…, `~vsrm/{org}/…`,
/// `~almsearch/{org}/…`, `~app/…` → https://app.vssps.visualstudio.com/…, and `~server/…` → a Server connection's collection.
/// Organisations must be ones the connection holds; `..`, encoded slashes and backslashes, and every segment a server on the
/// way could decode differently (<see cref="ProxyPathCheck"/>) are refused.
/// </summary>
internal static class ProxyTarget
{
    private static readonly Dictionary<string, string> OrganizationHosts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["~vssps"] = "vssps.dev.azure.com",
        ["~vsrm"] = "vsrm.dev.azure.com",
        ["~almsearch"] = "almsearch.dev.azure.com",
        ["~vsaex"] = "vsaex.dev.azure.com",
    };

    /// <summary>The host forms a proxy URL may take, for error messages and the README.</summary>
    public const string Forms = "{organization}/…, ~vssps/{organization}/…, ~vsrm/{organization}/…, ~almsearch/{organization}/…, ~vsaex/{organization}/…, ~app/…, ~server/…";

    /// <summary>The real URL, or an error message saying why the path is refused.</summary>
    public static (string? Url, string? Error, string? Prefix) Resolve(ConnectionEntity connection, string rawPath, string query)
    {
        if (rawPath.Contains('\\', StringComparison.Ordinal) || HasRefusedEscape(rawPath))
        {
            return (null, "Encoded slashes, dots, backslashes and NUL bytes are not allowed in proxied paths.", null);
        }

        if (HasDotSegment(rawPath))
        {
            return (null, "'.' and '..' segments are not allowed in proxied paths.", null);
        }

        if (ProxyPathCheck.Refusal(rawPath) is { } ambiguous)
        {
            return (null, ambiguous, null);
        }

        // Segments are cut out with IndexOf rather than Split: this runs on every proxied request.
        var firstEnd = rawPath.IndexOf('/', StringComparison.Ordinal);
        var first = firstEnd < 0 ? rawPath : rawPath[..firstEnd];
        if (first.Length == 0)
        {
            return (null, $"Name a target after the connection id: {Forms}.", null);
        }

        var rest = firstEnd < 0 ? string.Empty : rawPath[(firstEnd + 1)..];
        if (first.Equals("~app", StringComparison.OrdinalIgnoreCase))
        {
            return ($"{AzureDevOpsHosts.VsspsApp}/{rest}{query}", null, first);
        }

        if (first.Equals("~server", StringComparison.OrdinalIgnoreCase))
        {
            return connection.ServerUrl is null
                ? (null, "This connection is to Azure DevOps Services; use /{organization}/… instead of ~server.", null)
                : ($"{connection.ServerUrl.TrimEnd('/')}/{rest}{query}", null, first);
        }

        string host = "dev.azure.com", organization = first;
        if (OrganizationHosts.TryGetValue(first, out var mapped))
        {
            var secondEnd = rest.IndexOf('/', StringComparison.Ordinal);
            organization = secondEnd < 0 ? rest : rest[..secondEnd];
            if (organization.Length == 0)
            {
                return (null, $"{first} needs an organisation: {first}/{{organization}}/….", null);
            }

            host = mapped;
            rest = secondEnd < 0 ? string.Empty : rest[(secondEnd + 1)..];
        }
        else if (first.StartsWith('~'))
        {
            return (null, $"'{first}' is not a proxy target. Use one of: {Forms}.", null);
        }

        if (connection.ServerUrl is not null)
        {
            return (null, "This connection is to an Azure DevOps Server; use ~server/… .", null);
        }

        var organizations = ConnectionService.OrganizationsOf(connection);
        if (!organizations.Contains(organization, StringComparer.OrdinalIgnoreCase))
        {
            return (null, $"This connection does not include the organisation '{organization}' (it has: {string.Join(", ", organizations)}).", null);
        }

        var prefix = host == "dev.azure.com" ? organization : $"{first}/{organization}";
        return (rest.Length > 0 ? $"https://{host}/{organization}/{rest}{query}" : $"https://{host}/{organization}{query}", null, prefix);
    }

    /// <summary>Whether the path holds %2f, %5c, %2e (any case) or %00: one pass over the '%' signs instead of a search per escape.</summary>
    private static bool HasRefusedEscape(string path)
    {
        for (var at = path.IndexOf('%', StringComparison.Ordinal); at >= 0 && at + 2 < path.Length; at = path.IndexOf('%', at + 1))
        {
            var code = path.AsSpan(at + 1, 2);
            if (code.Equals("2f", StringComparison.OrdinalIgnoreCase) || code.Equals("5c", StringComparison.OrdinalIgnoreCase)
                || code.Equals("2e", StringComparison.OrdinalIgnoreCase) || code is "00")
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasDotSegment(string path)
    {
        for (int start = 0, end; start <= path.Length; start = end + 1)
        {
            end = path.IndexOf('/', start);
            end = end < 0 ? path.Length : end;
            if (path.AsSpan(start, end - start) is "." or "..")
            {
                return true;
            }
        }

        return false;
    }
}
