namespace AdoBridge.Client;

/// <summary>An app (auth provider) as AdoBridge holds it: its settings, findings and redirect URI; secrets appear as fingerprints only.</summary>
/// <param name="Name">The app's name, e.g. entra-prod.</param>
/// <param name="Type">One of <see cref="AppType"/>.</param>
/// <param name="Source">Where the app is defined: configuration, the admin API, or the sandbox.</param>
/// <param name="Status">"valid" or "invalid".</param>
/// <param name="DisplayName">Shown to end users on the connect page.</param>
/// <param name="Tenant">The Entra tenant.</param>
/// <param name="AuthorityHost">The identity platform host.</param>
/// <param name="ClientId">The Application (client) ID.</param>
/// <param name="ClientSecrets">The client secrets, as fingerprints.</param>
/// <param name="Scopes">The Azure DevOps scopes requested.</param>
/// <param name="AzureDevOps">Azure DevOps Services, or a Server collection.</param>
/// <param name="PublicBaseUrl">The app's public base URL override.</param>
/// <param name="RedirectUri">The redirect URI to register in the Azure portal.</param>
/// <param name="AllowedReturnUrls">Where the connect flow may send users back to.</param>
/// <param name="UseManagedIdentity">Service principals: sign in with the managed identity.</param>
/// <param name="FederatedTokenFile">Service principals: the federated token file.</param>
/// <param name="Errors">What stops the app from working, with fixes.</param>
/// <param name="Warnings">What deserves attention, with fixes.</param>
/// <param name="UpdatedAt">When the app last changed through the admin API.</param>
public sealed record App(
    string Name, string Type, string Source, string Status, string? DisplayName, string? Tenant, string? AuthorityHost, string? ClientId,
    IReadOnlyList<AppSecretInfo> ClientSecrets, IReadOnlyList<string>? Scopes, AzureDevOpsTarget? AzureDevOps, string? PublicBaseUrl,
    string RedirectUri, IReadOnlyList<string>? AllowedReturnUrls, bool? UseManagedIdentity, string? FederatedTokenFile,
    IReadOnlyList<ProblemError> Errors, IReadOnlyList<ProblemError> Warnings, DateTimeOffset? UpdatedAt)
{
    /// <summary>Service principals with a managed identity: the user-assigned identity's client id (null for the system-assigned one).</summary>
    public string? ManagedIdentityClientId { get; init; }
}

/// <summary>A stored client secret, identified without its value.</summary>
/// <param name="Id">The secret's name, e.g. 2026-11.</param>
/// <param name="ExpiresAt">When it expires.</param>
/// <param name="Fingerprint">sha256:… of the value, to tell secrets apart.</param>
public sealed record AppSecretInfo(string Id, DateTimeOffset? ExpiresAt, string Fingerprint);

/// <summary>Which Azure DevOps an app reaches.</summary>
public sealed record AzureDevOpsTarget
{
    /// <summary>Empty for Azure DevOps Services; for Server, the collection URL, e.g. https://ado.contoso.com/tfs/DefaultCollection.</summary>
    public string? ServerUrl { get; init; }
}

/// <summary>App types; the server may add more.</summary>
public static class AppType
{
    /// <summary>Microsoft identity platform, delegated (recommended).</summary>
    public const string Entra = "entra";

    /// <summary>Azure DevOps OAuth, being retired by Microsoft.</summary>
    public const string Legacy = "legacy";

    /// <summary>App-only identity (client credentials or federated credential).</summary>
    public const string ServicePrincipal = "service-principal";

    /// <summary>Personal access tokens; the only choice for Azure DevOps Server.</summary>
    public const string Pat = "pat";
}

/// <summary>The result of the app doctor: every check it ran and an overall verdict.</summary>
/// <param name="App">The app examined.</param>
/// <param name="Verdict">"pass", "warn" or "fail".</param>
/// <param name="Checks">The checks, each with its fix.</param>
/// <param name="OneLine">The verdict in one line, e.g. "ok" or "fail: Microsoft rejected the client secret…".</param>
public sealed record DoctorReport(string App, string Verdict, IReadOnlyList<DoctorCheck> Checks, string? OneLine);

/// <summary>One check the doctor ran.</summary>
/// <param name="Name">What was checked, e.g. credentials or a field name.</param>
/// <param name="Status">"pass", "warn", "fail" or "skip".</param>
/// <param name="Message">What the check found.</param>
/// <param name="Fix">How to fix it, when something is wrong.</param>
public sealed record DoctorCheck(string Name, string Status, string Message, string? Fix);
