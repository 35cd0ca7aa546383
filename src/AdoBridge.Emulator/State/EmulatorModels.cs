namespace AdoBridge.Emulator;

/// <summary>An Entra ID tenant.</summary>
public sealed record EmulatorTenant(string Id, string DisplayName, string Domain);

/// <summary>A user: home tenant, tenants they are a guest in, and the organisations they belong to.</summary>
public sealed record EmulatorUser(
    Guid Id,
    string UserPrincipalName,
    string DisplayName,
    string TenantId,
    IReadOnlyList<string> Organizations,
    IReadOnlyList<string> GuestOfTenantIds);

/// <summary>An Azure DevOps project.</summary>
public sealed record EmulatorProject(Guid Id, string Name, string Description, string Visibility, long Revision, DateTimeOffset LastUpdateTime);

/// <summary>An Azure DevOps organisation connected to an Entra tenant.</summary>
/// <param name="OAuthPolicyEnabled">The organisation policy "Third-party application access via OAuth".</param>
/// <param name="ServicePrincipalIds">Object ids of service principals added to the organisation.</param>
/// <param name="LatestApiVersion">The newest REST API version it accepts ("6.0" to act as Azure DevOps Server 2020);
/// null for the service's own.</param>
public sealed record EmulatorOrganization(
    string Name,
    Guid Id,
    string TenantId,
    bool OAuthPolicyEnabled,
    IReadOnlyList<EmulatorProject> Projects,
    IReadOnlyList<Guid> ServicePrincipalIds,
    string? LatestApiVersion = null);

/// <summary>A Microsoft Entra app registration (delegated and client-credentials flows).</summary>
public sealed record EntraAppRegistration(string TenantId, string ClientId, string DisplayName, IReadOnlyList<EmulatorClientSecret> Secrets, IReadOnlyList<string> RedirectUris);

/// <summary>A client secret of an Entra app: its id (not a credential) and its value (the credential).</summary>
public sealed record EmulatorClientSecret(string SecretId, string Value, DateTimeOffset? ExpiresAt);

/// <summary>A legacy Azure DevOps OAuth app (app.vssps.visualstudio.com).</summary>
public sealed record LegacyAppRegistration(string AppId, string DisplayName, string ClientSecret, string CallbackUrl, IReadOnlyList<string> Scopes, DateTimeOffset? SecretExpiresAt = null);

/// <summary>Answer the next <paramref name="Count"/> requests matching a method ("*" for any) and a path prefix
/// (relative to the emulator base, e.g. "/dev.azure.com/fabrikam/_apis/projects") with this status, headers and body.</summary>
public sealed record EmulatorFault(
    string Method,
    string PathPrefix,
    int StatusCode,
    int Count = 1,
    IReadOnlyDictionary<string, string>? Headers = null,
    string? Body = null,
    string? ContentType = null);
