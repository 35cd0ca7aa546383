using AdoBridge.Apps;

namespace AdoBridge.AzureDevOps;

/// <summary>How a service principal proves who it is to Entra: a client secret, the host's managed identity, or a federated token.</summary>
internal enum AppCredentialKind
{
    ClientSecret,
    ManagedIdentity,
    FederatedToken,
}

internal static class AppCredential
{
    public static AppCredentialKind KindOf(AppDefinition app)
        => app.Type != AppTypes.ServicePrincipal ? AppCredentialKind.ClientSecret
            : !string.IsNullOrEmpty(app.FederatedTokenFile) ? AppCredentialKind.FederatedToken
            : app.UseManagedIdentity == true ? AppCredentialKind.ManagedIdentity
            : AppCredentialKind.ClientSecret;

    /// <summary>The credential in words, for the doctor's messages.</summary>
    public static string Describe(AppDefinition app) => KindOf(app) switch
    {
        AppCredentialKind.FederatedToken => $"the federated token in {app.FederatedTokenFile}",
        AppCredentialKind.ManagedIdentity => app.ManagedIdentityClientId is { Length: > 0 } id ? $"the user-assigned managed identity {id}" : "the system-assigned managed identity",
        _ => "the client secret",
    };
}
