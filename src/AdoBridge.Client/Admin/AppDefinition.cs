namespace AdoBridge.Client;

/// <summary>An app's settings, as written with PUT /v1/admin/apps/{name}; AdoBridge validates them and names each wrong field.</summary>
public sealed record AppDefinition
{
    /// <summary>One of <see cref="AppType"/>.</summary>
    public required string Type { get; init; }

    /// <summary>Shown to end users on the connect page, e.g. "Contoso Code Review".</summary>
    public string? DisplayName { get; init; }

    /// <summary>Entra tenant: a tenant id (GUID), a verified domain, <c>organizations</c> or <c>common</c>.</summary>
    public string? Tenant { get; init; }

    /// <summary>Identity platform host; change it for sovereign clouds (e.g. https://login.microsoftonline.us).</summary>
    public string? AuthorityHost { get; init; }

    /// <summary>Application (client) id from the app registration's Overview page.</summary>
    public string? ClientId { get; init; }

    /// <summary>Shorthand for a single client secret without an expiry (the secret value, not its ID).</summary>
    public string? ClientSecret { get; init; }

    /// <summary>Client secrets, several at once while rotating; one given by id without a value keeps the stored value.</summary>
    public IReadOnlyList<AppClientSecret>? ClientSecrets { get; init; }

    /// <summary>Azure DevOps scopes: <c>user_impersonation</c> (Entra default), <c>.default</c>, or <c>vso.*</c> scopes (legacy apps).</summary>
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>Which Azure DevOps the app reaches: Services (default) or a Server collection URL.</summary>
    public AzureDevOpsTarget? AzureDevOps { get; init; }

    /// <summary>The URL at which browsers reach AdoBridge for this app; defaults to AdoBridge:PublicBaseUrl.</summary>
    public string? PublicBaseUrl { get; init; }

    /// <summary>Where the connect flow may send end users back to (scheme, host, port and path prefix must match).</summary>
    public IReadOnlyList<string>? AllowedReturnUrls { get; init; }

    /// <summary>Service principals: use the machine's managed identity instead of a client secret.</summary>
    public bool? UseManagedIdentity { get; init; }

    /// <summary>Service principals with <see cref="UseManagedIdentity"/>: a user-assigned identity's client id; omit for the system-assigned one.</summary>
    public string? ManagedIdentityClientId { get; init; }

    /// <summary>Service principals: a federated token file (workload identity) used as the client assertion.</summary>
    public string? FederatedTokenFile { get; init; }

    /// <summary>Describes the app without secret values.</summary>
    public override string ToString()
        => $"AppDefinition {{ Type = {Type}, DisplayName = {DisplayName}, Tenant = {Tenant}, ClientId = {ClientId}, ClientSecret = {(ClientSecret is null ? "(none)" : "***")}, ClientSecrets = {ClientSecrets?.Count ?? 0} }}";
}

/// <summary>One client secret to store: its name, value and expiry.</summary>
public sealed record AppClientSecret
{
    /// <summary>A name for the secret, e.g. "2026-11", used to replace or keep it.</summary>
    public string? Id { get; init; }

    /// <summary>The secret value (Certificates &amp; secrets → Value column), not the secret ID; omit to keep the stored value.</summary>
    public string? Value { get; init; }

    /// <summary>When the secret expires; AdoBridge warns 30 days before.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Describes the secret without its value.</summary>
    public override string ToString() => $"AppClientSecret {{ Id = {Id}, ExpiresAt = {ExpiresAt}, Value = {(Value is null ? "(kept)" : "***")} }}";
}
