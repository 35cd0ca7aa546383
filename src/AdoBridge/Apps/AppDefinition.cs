using System.Text.Json.Serialization;

namespace AdoBridge.Apps;

/// <summary>
/// An app (auth provider) as an operator writes it, in a config file, environment variables (`Apps__{name}__ClientId`)
/// or the admin API. The same shape serves all four; secret values never leave AdoBridge once stored.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class AppDefinition
{
    /// <summary>`entra` (Microsoft identity platform, delegated), `legacy` (Azure DevOps OAuth), `service-principal` (app-only), or `pat`.</summary>
    public string? Type { get; set; }

    /// <summary>Shown to end users on the connect page, e.g. "Contoso Code Review".</summary>
    public string? DisplayName { get; set; }

    /// <summary>Entra tenant: a tenant id (GUID), a verified domain, `organizations` or `common`.</summary>
    public string? Tenant { get; set; }

    /// <summary>Identity platform host; change it for sovereign clouds (e.g. https://login.microsoftonline.us).</summary>
    public string? AuthorityHost { get; set; }

    /// <summary>Application (client) id from the app registration's Overview page.</summary>
    public string? ClientId { get; set; }

    /// <summary>Shorthand for a single client secret without an expiry.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Client secrets, several at once while rotating; the newest unexpired one is used.</summary>
    public List<ClientSecretDefinition>? ClientSecrets { get; set; }

    /// <summary>Azure DevOps scopes: `user_impersonation` (default for Entra), `.default`, or `vso.*` scopes (legacy apps).</summary>
    public List<string>? Scopes { get; set; }

    /// <summary>Which Azure DevOps the app reaches: Services (default) or a Server collection URL.</summary>
    public AzureDevOpsTarget? AzureDevOps { get; set; }

    /// <summary>The URL at which browsers reach AdoBridge; the redirect URI is derived from it. Defaults to AdoBridge:PublicBaseUrl.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Where the connect flow may send end users back to (scheme, host, port and path prefix must match).</summary>
    public List<string>? AllowedReturnUrls { get; set; }

    /// <summary>Service principals: sign in as the host's managed identity (IMDS, or IDENTITY_ENDPOINT/IDENTITY_HEADER) instead of with a client secret.</summary>
    public bool? UseManagedIdentity { get; set; }

    /// <summary>Service principals with useManagedIdentity: the client id of a user-assigned managed identity; omit it for the system-assigned one.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Service principals: a federated token file (workload identity) used as the client assertion.</summary>
    public string? FederatedTokenFile { get; set; }

    [JsonIgnore]
    internal IEnumerable<ClientSecretDefinition> AllSecrets
        => string.IsNullOrEmpty(ClientSecret)
            ? ClientSecrets ?? []
            : [new ClientSecretDefinition { Id = "default", Value = ClientSecret }, .. ClientSecrets ?? []];

    public AppDefinition Clone() => new()
    {
        Type = Type,
        DisplayName = DisplayName,
        Tenant = Tenant,
        AuthorityHost = AuthorityHost,
        ClientId = ClientId,
        ClientSecret = ClientSecret,
        ClientSecrets = ClientSecrets?.Select(s => new ClientSecretDefinition { Id = s.Id, Value = s.Value, ExpiresAt = s.ExpiresAt }).ToList(),
        Scopes = Scopes?.ToList(),
        AzureDevOps = AzureDevOps is null ? null : new AzureDevOpsTarget { ServerUrl = AzureDevOps.ServerUrl },
        PublicBaseUrl = PublicBaseUrl,
        AllowedReturnUrls = AllowedReturnUrls?.ToList(),
        UseManagedIdentity = UseManagedIdentity,
        ManagedIdentityClientId = ManagedIdentityClientId,
        FederatedTokenFile = FederatedTokenFile,
    };
}

/// <summary>One client secret. `Value` is write-only through the API: reads show a fingerprint instead.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class ClientSecretDefinition
{
    /// <summary>A name for the secret, e.g. "2026-11" (used to replace or remove it); defaults to its position.</summary>
    public string? Id { get; set; }

    /// <summary>The secret *value* (Certificates &amp; secrets → Value column), not the secret ID. Omit on update to keep the stored value.</summary>
    public string? Value { get; set; }

    /// <summary>When the secret expires (the Expires column in the portal); AdoBridge warns 30 days before.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
}

/// <summary>Azure DevOps Services, or an Azure DevOps Server collection.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class AzureDevOpsTarget
{
    /// <summary>Empty for Azure DevOps Services; for Server, the collection URL, e.g. https://ado.contoso.com/tfs/DefaultCollection.</summary>
    public string? ServerUrl { get; set; }
}

internal static class AppTypes
{
    public const string Entra = "entra";
    public const string Legacy = "legacy";
    public const string ServicePrincipal = "service-principal";
    public const string Pat = "pat";

    public static readonly string[] All = [Entra, Legacy, ServicePrincipal, Pat];
}
