using System.Net.Http.Headers;
using AdoBridge.AzureDevOps;
using AdoBridge.Connections;
using AdoBridge.Storage;
using AdoBridge.Hosting;

namespace AdoBridge.Proxy;

/// <summary>
/// Service-discovery answers (`OPTIONS`, `_apis/resourceAreas`, `_apis/connectionData`) and `Location` headers name Azure
/// DevOps URLs, which the official clients then follow; they are rewritten to lead back through the proxy for the connection.
/// </summary>
internal sealed class ProxyDiscovery(AzureDevOpsHosts hosts, PublicUrls urls)
{
    /// <summary>Discovery answers larger than this pass through untouched rather than being held in memory.</summary>
    private const long MaxRewrittenBody = 4 * 1024 * 1024;

    /// <summary>Whether the answer to this request is a discovery document whose URLs must be rewritten.</summary>
    public static bool NeedsRewrite(string method, Uri target, HttpResponseMessage response)
    {
        // The path is checked first: it rules out nearly every request before any header is parsed.
        var path = target.AbsolutePath.AsSpan();
        var discovery = HttpMethods.IsOptions(method) || path.EndsWith("/_apis/resourceAreas", StringComparison.OrdinalIgnoreCase)
            || path.Contains("/_apis/resourceAreas/", StringComparison.OrdinalIgnoreCase) || path.EndsWith("/_apis/connectionData", StringComparison.OrdinalIgnoreCase);
        return discovery && IsJson(response.Content.Headers.ContentType) && response.Content.Headers.ContentLength is not > MaxRewrittenBody;
    }

    private static bool IsJson(MediaTypeHeaderValue? type) => type?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Replaces Azure DevOps base URLs (real and, in sandbox mode, the emulator's) with the proxy's own for this connection.</summary>
    public string RewriteUrls(string text, ConnectionEntity connection)
    {
        var proxyBase = $"{urls.BaseUrl}/v1/proxy/{connection.Id}/";
        text = ReplaceBoth(text, $"{AzureDevOpsHosts.VsspsApp}/", $"{proxyBase}~app/");
        foreach (var org in ConnectionService.OrganizationsOf(connection))
        {
            foreach (var (real, proxied) in new[]
            {
                ($"https://dev.azure.com/{org}/", $"{proxyBase}{org}/"),
                ($"https://{org}.visualstudio.com/", $"{proxyBase}{org}/"),
                ($"https://vssps.dev.azure.com/{org}/", $"{proxyBase}~vssps/{org}/"),
                ($"https://{org}.vssps.visualstudio.com/", $"{proxyBase}~vssps/{org}/"),
                ($"https://vsrm.dev.azure.com/{org}/", $"{proxyBase}~vsrm/{org}/"),
                ($"https://almsearch.dev.azure.com/{org}/", $"{proxyBase}~almsearch/{org}/"),
                ($"https://vsaex.dev.azure.com/{org}/", $"{proxyBase}~vsaex/{org}/"),
            })
            {
                text = ReplaceBoth(text, real, proxied);
            }
        }

        return text;
    }

    /// <summary>Replaces a real Azure DevOps URL and, in sandbox mode, the emulator URL standing in for it.</summary>
    private string ReplaceBoth(string text, string real, string proxied)
    {
        text = text.Replace(real, proxied, StringComparison.OrdinalIgnoreCase);
        var transport = hosts.Resolve(real).ToString();
        return transport.Equals(real, StringComparison.OrdinalIgnoreCase) ? text : text.Replace(transport, proxied, StringComparison.OrdinalIgnoreCase);
    }
}
