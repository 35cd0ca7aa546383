using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace AdoBridge.Security;

/// <summary>Which reverse proxies AdoBridge believes about the client (section `AdoBridge:ForwardedHeaders`).</summary>
internal sealed class ForwardedHeadersSettings
{
    public const string Section = "AdoBridge:ForwardedHeaders";

    /// <summary>Addresses or CIDR ranges of the reverse proxies in front of AdoBridge (e.g. `10.0.0.5`, `10.0.0.0/24`); their X-Forwarded-For and X-Forwarded-Proto are honoured. Empty: no one's are.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>How many proxies deep to read X-Forwarded-For (one per trusted proxy in the chain).</summary>
    public int ForwardLimit { get; set; } = 1;
}

/// <summary>
/// Behind a TLS-terminating load balancer the request AdoBridge sees is http from the balancer's address; the balancer's
/// X-Forwarded-Proto and X-Forwarded-For say what the browser used and who it is, which secure cookies and per-client
/// rate limits need. Only proxies the operator names are believed: anyone else could send those headers.
/// </summary>
internal static class ForwardedHeadersSetup
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.Section)
            .Validate(o => o.TrustedProxies.All(p => TryParse(p, out _)),
                "AdoBridge:ForwardedHeaders:TrustedProxies must hold IP addresses or CIDR ranges, e.g. 10.0.0.5 or 10.0.0.0/24.")
            .Validate(o => o.ForwardLimit is >= 1 and <= 10, "AdoBridge:ForwardedHeaders:ForwardLimit must be between 1 and 10.")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((o, settings) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = settings.Value.ForwardLimit;

            // The framework trusts loopback by default; here only what the operator listed is trusted.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var entry in settings.Value.TrustedProxies)
            {
                if (TryParse(entry, out var network))
                {
                    o.KnownIPNetworks.Add(network);
                }
            }
        });
        return services;
    }

    /// <summary>First in the pipeline, and only when a proxy is configured.</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
        => app.ApplicationServices.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.TrustedProxies.Count > 0 ? app.UseForwardedHeaders() : app;

    private static bool TryParse(string entry, out System.Net.IPNetwork network)
    {
        var text = entry.Trim();
        if (IPAddress.TryParse(text, out var address))
        {
            network = new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return System.Net.IPNetwork.TryParse(text, out network);
    }
}
