using AdoBridge.AzureDevOps;
using AdoBridge.Connections;

namespace AdoBridge.Proxy;

/// <summary>
/// Maps the part of a proxy URL after the connection id to an Azure DevOps URL, and refuses everything else:
/// `{org}/…` → https://dev.azure.com/{org}/…, `~vssps/{org}/…` → https://vssps.dev.azure.com/{org}/…, `~vsrm/{org}/…`,
/// `~almsearch/{org}/…`, `~app/…` → https://app.vssps.visualstudio.com/…, and `~server/…` → a Server connection's collection.
/// Organisations must be ones the connection holds; `..`, encoded slashes and backslashes are refused.
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
        if (rawPath.Contains('\\', StringComparison.Ordinal) || rawPath.Contains("%2f", StringComparison.OrdinalIgnoreCase)
            || rawPath.Contains("%5c", StringComparison.OrdinalIgnoreCase) || rawPath.Contains("%2e", StringComparison.OrdinalIgnoreCase)
            || rawPath.Contains("%00", StringComparison.Ordinal))
        {
            return (null, "Encoded slashes, dots, backslashes and NUL bytes are not allowed in proxied paths.", null);
        }

        var segments = rawPath.Split('/');
        if (segments.Any(s => s is "." or ".."))
        {
            return (null, "'.' and '..' segments are not allowed in proxied paths.", null);
        }

        if (segments.Length == 0 || segments[0].Length == 0)
        {
            return (null, $"Name a target after the connection id: {Forms}.", null);
        }

        var first = segments[0];
        var rest = string.Join('/', segments.Skip(1));
        var organizations = ConnectionService.OrganizationsOf(connection);
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
            if (segments.Length < 2 || segments[1].Length == 0)
            {
                return (null, $"{first} needs an organisation: {first}/{{organization}}/….", null);
            }

            host = mapped;
            organization = segments[1];
            rest = string.Join('/', segments.Skip(2));
        }
        else if (first.StartsWith('~'))
        {
            return (null, $"'{first}' is not a proxy target. Use one of: {Forms}.", null);
        }

        if (connection.ServerUrl is not null)
        {
            return (null, "This connection is to an Azure DevOps Server; use ~server/… .", null);
        }

        if (!organizations.Contains(organization, StringComparer.OrdinalIgnoreCase))
        {
            return (null, $"This connection does not include the organisation '{organization}' (it has: {string.Join(", ", organizations)}).", null);
        }

        var prefix = host == "dev.azure.com" ? organization : $"{first}/{organization}";
        return ($"https://{host}/{organization}{(rest.Length > 0 ? "/" + rest : string.Empty)}{query}", null, prefix);
    }
}
