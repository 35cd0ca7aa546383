using AdoBridge.Hosting;
using Microsoft.Extensions.Options;

namespace AdoBridge.AzureDevOps;

/// <summary>
/// Where a call meant for an Azure DevOps or Microsoft identity host really goes. Outside sandbox mode that is the host
/// itself; in sandbox mode it is the emulator, which serves each host under `{emulator}/{host name}/…`.
/// Connections always store the real URLs (https://dev.azure.com/fabrikam), so data does not depend on the transport.
/// </summary>
internal sealed class AzureDevOpsHosts(SandboxMode sandbox, PublicUrls urls, IOptionsMonitor<AdoBridgeOptions> options)
{
    public const string Services = "https://dev.azure.com";
    public const string VsspsApp = "https://app.vssps.visualstudio.com";

    /// <summary>Hosts of Azure DevOps Services and Entra ID that AdoBridge may call for a connection.</summary>
    public static readonly string[] KnownHosts =
    [
        "dev.azure.com", "vssps.dev.azure.com", "vsrm.dev.azure.com", "almsearch.dev.azure.com", "vsaex.dev.azure.com",
        "app.vssps.visualstudio.com", "login.microsoftonline.com",
    ];

    /// <summary>The emulator's base URL (ending with '/') in sandbox mode; null otherwise.</summary>
    public string? EmulatorBaseUrl
    {
        get
        {
            if (!sandbox.Enabled)
            {
                return null;
            }

            var external = options.CurrentValue.EmulatorUrl;
            return string.IsNullOrWhiteSpace(external) ? urls.BaseUrl + SandboxMode.EmulatorPrefix + "/" : external.TrimEnd('/') + "/";
        }
    }

    public static string OrganizationUrl(string organization) => $"{Services}/{organization}";

    /// <summary>Maps a real URL to the URL to send the request to.</summary>
    public Uri Resolve(string realUrl)
    {
        var emulator = EmulatorBaseUrl;
        if (emulator is not null && PlainHttpsHost(realUrl) is { } host)
        {
            // The common case, on every proxied request in sandbox mode: the host is read off the string and the URL parsed
            // once, instead of parsing the real URL only to build the emulator's.
            return KnownHosts.Contains(host, StringComparer.OrdinalIgnoreCase)
                ? new Uri($"{emulator}{host.ToLowerInvariant()}{realUrl.AsSpan(Https.Length + host.Length)}")
                : new Uri(realUrl);
        }

        var uri = new Uri(realUrl);
        if (emulator is null || !KnownHosts.Contains(uri.Host, StringComparer.OrdinalIgnoreCase))
        {
            return uri;
        }

        return new Uri($"{emulator}{uri.Host.ToLowerInvariant()}{uri.PathAndQuery}");
    }

    private const string Https = "https://";

    /// <summary>The host of an `https://host/…` URL with no user info, port or fragment; null for anything else, which takes the full parse.</summary>
    private static string? PlainHttpsHost(string url)
    {
        if (!url.StartsWith(Https, StringComparison.OrdinalIgnoreCase) || url.Contains('#', StringComparison.Ordinal))
        {
            return null;
        }

        var end = url.AsSpan(Https.Length).IndexOfAny('/', '?');
        var host = end < 0 ? url.AsSpan(Https.Length) : url.AsSpan(Https.Length, end);
        return end <= 0 || host.IndexOfAny('@', ':', '\\') >= 0 ? null : host.ToString();
    }
}
