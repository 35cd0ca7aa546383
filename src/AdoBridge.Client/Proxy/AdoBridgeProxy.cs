namespace AdoBridge.Client;

/// <summary>
/// URLs of AdoBridge's transparent proxy for one connection (/v1/proxy/{id}/…): give <see cref="OrganizationUrl"/> to any
/// Azure DevOps client as its organisation URL, with <see cref="CreateHttpClient"/> or <see cref="CreateHandler"/> to
/// authenticate to AdoBridge; AdoBridge then sends each call with the connection's fresh credential.
/// </summary>
public sealed class AdoBridgeProxy
{
    private readonly Uri adoBridge;
    private readonly string? apiKey;

    internal AdoBridgeProxy(Uri adoBridge, string? apiKey, string connectionId)
    {
        this.adoBridge = adoBridge;
        this.apiKey = apiKey;
        BaseUrl = new Uri(adoBridge, $"v1/proxy/{ApiPath.Segment(connectionId)}/");
    }

    /// <summary>The proxy's base for this connection, ending with '/'; each host form below starts here.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Stands in for https://dev.azure.com/{organization}.</summary>
    public Uri OrganizationUrl(string organization) => new(BaseUrl, ApiPath.Segment(organization));

    /// <summary>Stands in for https://vssps.dev.azure.com/{organization} (identities, graph).</summary>
    public Uri VsspsUrl(string organization) => new(BaseUrl, "~vssps/" + ApiPath.Segment(organization));

    /// <summary>Stands in for https://vsrm.dev.azure.com/{organization} (releases).</summary>
    public Uri VsrmUrl(string organization) => new(BaseUrl, "~vsrm/" + ApiPath.Segment(organization));

    /// <summary>Stands in for https://almsearch.dev.azure.com/{organization} (code and work item search).</summary>
    public Uri AlmSearchUrl(string organization) => new(BaseUrl, "~almsearch/" + ApiPath.Segment(organization));

    /// <summary>Stands in for https://vsaex.dev.azure.com/{organization} (user entitlements).</summary>
    public Uri VsaexUrl(string organization) => new(BaseUrl, "~vsaex/" + ApiPath.Segment(organization));

    /// <summary>Stands in for https://app.vssps.visualstudio.com (profiles, accounts).</summary>
    public Uri AppUrl() => new(BaseUrl, "~app");

    /// <summary>Stands in for an Azure DevOps Server connection's collection URL.</summary>
    public Uri ServerUrl() => new(BaseUrl, "~server");

    /// <summary>
    /// A handler that puts the API key in the Authorization header of requests to AdoBridge (replacing whatever credential the
    /// Azure DevOps client set), and never sends it anywhere else. Add it to the HttpClient your Azure DevOps client uses.
    /// </summary>
    public DelegatingHandler CreateHandler(HttpMessageHandler? inner = null)
        => new AdoBridgeApiKeyHandler(adoBridge, apiKey ?? throw new InvalidOperationException(
            "The proxy handler needs the API key: set AdoBridgeClientOptions.ApiKey, or add the key with your own handler."))
        {
            InnerHandler = inner ?? new HttpClientHandler(),
        };

    /// <summary>An HttpClient whose BaseAddress is the organisation's proxy URL (with a trailing '/'), authenticated to AdoBridge.</summary>
    /// <remarks>Each call makes a new handler; keep the HttpClient for as long as you use the connection.</remarks>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000", Justification = "The HttpClient owns the handler and disposes it.")]
    public HttpClient CreateHttpClient(string organization, HttpMessageHandler? inner = null)
        => new(CreateHandler(inner)) { BaseAddress = new Uri(OrganizationUrl(organization).AbsoluteUri + "/") };
}
