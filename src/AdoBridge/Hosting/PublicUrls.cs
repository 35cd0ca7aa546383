using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace AdoBridge.Hosting;

/// <summary>The base URL AdoBridge is reached at: configured, or else the first address Kestrel listens on.</summary>
internal sealed class PublicUrls(IOptionsMonitor<AdoBridgeOptions> options, IServer server)
{
    public string BaseUrl
    {
        get
        {
            var configured = options.CurrentValue.PublicBaseUrl;
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return configured.Trim().TrimEnd('/');
            }

            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5080";
            return address.Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
                .Replace("://[::]", "://localhost", StringComparison.Ordinal)
                .Replace("://+", "://localhost", StringComparison.Ordinal)
                .Replace("://*", "://localhost", StringComparison.Ordinal)
                .TrimEnd('/');
        }
    }

    /// <summary>Where Microsoft sends users back after sign-in; the operator registers exactly this in the Azure portal.</summary>
    public static string RedirectUri(string baseUrl) => baseUrl.TrimEnd('/') + "/connect/callback";
}
