using AdoBridge.AzureDevOps;

namespace AdoBridge.Apps.Checks;

/// <summary>What the doctor says when a managed identity or a federated token is refused: the cause in words, and the fix.</summary>
internal static class KeylessDoctor
{
    public const string NoEndpointFix =
        "Run AdoBridge on an Azure resource with a managed identity turned on (VM or scale set: Identity → System assigned → On, or add the user-assigned identity; "
        + "App Service, Functions, Container Apps: the same, and they set IDENTITY_ENDPOINT and IDENTITY_HEADER). Elsewhere (Kubernetes, CI), use federatedTokenFile instead.";

    public static (string Message, string Fix) Failure(IdentityException e, AppDefinition app) => (e.AadstsCode, e.Error) switch
    {
        ("AADSTS700211", _) => ("Entra does not trust the issuer of the federated token: no federated credential of this app names it.",
            "In the app registration → Certificates & secrets → Federated credentials, add one whose Issuer is exactly the token's issuer (AKS: az aks show --query oidcIssuerProfile.issuerUrl, trailing slash included). "
            + $"{e.Description}"),
        ("AADSTS700213", _) => ("No federated credential of this app matches the token's subject.",
            "Set the federated credential's Subject to exactly the token's subject, which matches case-sensitively (Kubernetes: system:serviceaccount:{namespace}:{service account name}). "
            + $"{e.Description}"),
        ("AADSTS70021", _) => ("No federated credential of this app matches the token's issuer, subject and audience together: most often the audience.",
            "The token's audience must be api://AzureADTokenExchange (the audience of the projected service account token) and the federated credential's Audience must list it. "
            + $"{e.Description}"),
        ("AADSTS700024", _) => ($"The token in {app.FederatedTokenFile} has expired (or is not valid yet).",
            "Make federatedTokenFile the file the platform keeps fresh (in a pod, the value of AZURE_FEDERATED_TOKEN_FILE, which Kubernetes rewrites before the token expires), not a copy; check the machine's clock."),
        ("AADSTS50027", _) => ($"Entra could not read or verify the token in {app.FederatedTokenFile} as a signed JWT.",
            "The file must hold only the token the issuer wrote (three base64url parts separated by dots), signed with a key the issuer publishes at its OIDC discovery address, which Entra must be able to reach."),
        (_, FederatedTokenFile.Unreadable) => (e.Description,
            "Point federatedTokenFile at the projected token (in a pod, the value of AZURE_FEDERATED_TOKEN_FILE, e.g. /var/run/secrets/azure/tokens/azure-identity-token) and let AdoBridge's user read it."),
        (_, ManagedIdentityTokenClient.Refused) when e.Description.Contains("Identity not found", StringComparison.Ordinal)
            || e.Description.Contains("Unable to load the proper Managed Identity", StringComparison.Ordinal) =>
            (string.IsNullOrEmpty(app.ManagedIdentityClientId)
                    ? $"This host has no system-assigned managed identity. {e.Description}"
                    : $"No managed identity with client id {app.ManagedIdentityClientId} is assigned to this host. {e.Description}",
                "Assign the identity to the resource AdoBridge runs on (Identity → User assigned → Add), or correct managedIdentityClientId; omit it to use the system-assigned identity."),
        (_, ManagedIdentityTokenClient.Refused) => (e.Description,
            "Let AdoBridge read the environment the platform sets (IDENTITY_ENDPOINT and IDENTITY_HEADER on App Service, Functions, Container Apps) rather than copying them by hand: the header value changes when the app restarts."),
        _ => ($"Microsoft refused the token request: {e.Description}",
            app.UseManagedIdentity == true ? NoEndpointFix : "Check the federated credential (issuer, subject, audience) against the token in federatedTokenFile."),
    };
}
