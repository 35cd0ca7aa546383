namespace AdoBridge.Apps;

/// <summary>The settings of keyless service principals: managed identity and workload identity federation.</summary>
internal static partial class AppValidator
{
    private static void CheckKeyless(AppDefinition app, string type, List<ConfigIssue> issues)
    {
        var managedIdentity = app.UseManagedIdentity == true;
        var federated = !string.IsNullOrEmpty(app.FederatedTokenFile);
        var userAssigned = !string.IsNullOrEmpty(app.ManagedIdentityClientId);
        if (type != AppTypes.ServicePrincipal)
        {
            if (managedIdentity || federated || userAssigned)
            {
                var field = managedIdentity ? "useManagedIdentity" : federated ? "federatedTokenFile" : "managedIdentityClientId";
                issues.Add(ConfigIssue.Error(field, "keyless_not_supported", $"Only service-principal apps sign in without a client secret; this app is of type '{type}'.",
                    "Remove the setting, or make the app type 'service-principal' (an app-only identity)."));
            }

            return;
        }

        if (managedIdentity && federated)
        {
            issues.Add(ConfigIssue.Error("federatedTokenFile", "conflicting_credentials", "useManagedIdentity and federatedTokenFile are both set; a service principal signs in one way.",
                "Keep federatedTokenFile for workload identity federation (Kubernetes, CI), or useManagedIdentity on an Azure host with a managed identity; not both."));
        }

        if (userAssigned && !managedIdentity)
        {
            issues.Add(ConfigIssue.Error("managedIdentityClientId", "managed_identity_not_enabled", "managedIdentityClientId is set but useManagedIdentity is not.",
                "Set useManagedIdentity: true to sign in as that user-assigned identity, or remove managedIdentityClientId."));
        }
        else if (userAssigned && !Guid.TryParseExact(app.ManagedIdentityClientId!.Trim(), "D", out _))
        {
            issues.Add(ConfigIssue.Error("managedIdentityClientId", "invalid_client_id", "managedIdentityClientId is not a GUID, so it is not a managed identity's client id.",
                "Copy the Client ID from the user-assigned managed identity's Overview page (not its name, object id or resource id); omit it for the system-assigned identity."));
        }

        if (federated && !Path.IsPathFullyQualified(app.FederatedTokenFile!))
        {
            issues.Add(ConfigIssue.Warning("federatedTokenFile", "relative_path", $"federatedTokenFile '{app.FederatedTokenFile}' is a relative path, read from AdoBridge's working directory.",
                "Give the full path of the projected token, e.g. the value of AZURE_FEDERATED_TOKEN_FILE in the pod (/var/run/secrets/azure/tokens/azure-identity-token)."));
        }

        if ((managedIdentity || federated) && app.AllSecrets.Any())
        {
            issues.Add(ConfigIssue.Warning("clientSecrets", "secrets_unused", $"The client secrets are not used: the app signs in with {(federated ? "the federated token file" : "the managed identity")}.",
                "Remove the client secrets (and delete them in the portal), so no unused secret is left to leak."));
        }
    }
}
