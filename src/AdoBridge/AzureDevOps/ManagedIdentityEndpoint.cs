namespace AdoBridge.AzureDevOps;

/// <summary>
/// Where the host's managed identity hands out tokens, found the way Azure SDKs find it, from the environment (read through
/// configuration, so tests and config files can set it too):
/// IDENTITY_ENDPOINT + IDENTITY_HEADER (App Service, Functions, Container Apps: api-version 2019-08-01, header X-IDENTITY-HEADER);
/// otherwise IMDS (VMs, scale sets, AKS: api-version 2018-02-01, header Metadata: true) at 169.254.169.254, or at
/// AZURE_POD_IDENTITY_AUTHORITY_HOST when set, or at the emulator in sandbox mode.
/// </summary>
internal sealed record ManagedIdentityEndpoint(Uri Url, string Style, string ApiVersion, string HeaderName, string HeaderValue)
{
    public const string AppService = "app-service";
    public const string Imds = "imds";
    public const string ImdsPath = "metadata/identity/oauth2/token";
    public const string ImdsAddress = "169.254.169.254";

    public static ManagedIdentityEndpoint Resolve(IConfiguration configuration, AzureDevOpsHosts hosts)
    {
        var endpoint = configuration["IDENTITY_ENDPOINT"];
        var header = configuration["IDENTITY_HEADER"];
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            if (string.IsNullOrEmpty(header))
            {
                throw new IdentityException(400, ManagedIdentityTokenClient.Refused, null,
                    "IDENTITY_ENDPOINT is set but IDENTITY_HEADER is not: AdoBridge speaks the App Service protocol, which needs both (as App Service, Functions and Container Apps set them).");
            }

            return Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var url)
                ? new ManagedIdentityEndpoint(url, AppService, "2019-08-01", "X-IDENTITY-HEADER", header)
                : throw new IdentityException(400, ManagedIdentityTokenClient.Refused, null, "IDENTITY_ENDPOINT is not an absolute URL.");
        }

        var imdsHost = configuration["AZURE_POD_IDENTITY_AUTHORITY_HOST"];
        var imds = !string.IsNullOrWhiteSpace(imdsHost) ? $"{imdsHost.Trim().TrimEnd('/')}/{ImdsPath}"
            : hosts.EmulatorBaseUrl is { } emulator ? $"{emulator}{ImdsAddress}/{ImdsPath}"
            : $"http://{ImdsAddress}/{ImdsPath}";
        return new ManagedIdentityEndpoint(new Uri(imds), Imds, "2018-02-01", "Metadata", "true");
    }
}
