using AdoBridge.Apps;

namespace AdoBridge.AdminConsole;

/// <summary>
/// The setup guides, one per kind of app: the Azure portal's screens in order, with the exact values to enter, and the
/// form fields the guide ends with. Each kind maps to one app type of the admin API, so the form saves through the same
/// registry and validator as `PUT /v1/admin/apps/{name}`.
/// </summary>
internal static class ConsoleAppGuides
{
    public const string Entra = "entra";
    public const string ServicePrincipal = "service-principal";
    public const string ManagedIdentity = "managed-identity";
    public const string WorkloadFederation = "workload-federation";
    public const string Pat = "pat";
    public const string Legacy = "legacy";

    public static readonly string[] Kinds = [Entra, ServicePrincipal, ManagedIdentity, WorkloadFederation, Pat, Legacy];

    /// <summary>The app type of the admin API that a guide's kind creates.</summary>
    public static string TypeOf(string kind) => kind switch
    {
        Entra => AppTypes.Entra,
        ServicePrincipal or ManagedIdentity or WorkloadFederation => AppTypes.ServicePrincipal,
        Pat => AppTypes.Pat,
        _ => AppTypes.Legacy,
    };

    /// <summary>Azure DevOps' application id in Entra ID, which the API permission names.</summary>
    private const string AzureDevOpsAppId = "499b84ac-1321-427f-aa17-267ca6975798";

    private static readonly string[] Common = ["name", "displayName"];

    public static AppGuideView? For(string kind, string redirectUri) => kind switch
    {
        Entra => new AppGuideView(Entra, "Microsoft Entra ID app (users sign in)",
            "End users sign in with their work account and AdoBridge acts as them in Azure DevOps. Recommended for products that many organisations use.", null,
            [
                new("Azure portal → Microsoft Entra ID → App registrations", "Select New registration. Under Name, enter your product's name: Microsoft shows it on the consent screen.", []),
                new("New registration → Supported account types",
                    "Choose \"Accounts in any organizational directory (Any Microsoft Entra ID tenant - Multitenant)\" if users from other companies will connect; choose \"Accounts in this organizational directory only (Single tenant)\" if only your own company will.", []),
                new("New registration → Redirect URI", "Select the platform Web and enter this URI exactly, then select Register.", [new("Redirect URI (Web)", redirectUri)]),
                new("App registration → API permissions",
                    "Select Add a permission → APIs my organization uses, search for Azure DevOps, choose Delegated permissions, tick user_impersonation and select Add permissions.",
                    [new("Azure DevOps application ID", AzureDevOpsAppId), new("Delegated permission", "user_impersonation")]),
                new("App registration → Certificates & secrets → Client secrets",
                    "Select New client secret, pick an expiry, then copy the Value column at once: the portal shows it only now. The Secret ID column is not the secret.", []),
                new("App registration → Overview", "Copy the Application (client) ID and, for a single-tenant app, the Directory (tenant) ID into the form below.", []),
            ],
            Fields([.. Common, "tenantMode", "tenant", "clientId", "secret", "authorityHost", "returnUrls"])),
        ServicePrincipal => new AppGuideView(ServicePrincipal, "Service principal with a client secret (app-only)",
            "AdoBridge signs in as the app itself, with no user: for automation that owns its own Azure DevOps identity.", null,
            [
                new("Azure portal → Microsoft Entra ID → App registrations", "Select New registration, name it, keep \"Single tenant\", leave the redirect URI empty and select Register.", []),
                new("App registration → Certificates & secrets → Client secrets", "Select New client secret and copy its Value at once (not the Secret ID).", []),
                new("Azure DevOps → Organization settings → Users", "Select Add users, find the app by its name, and give it the access level and project groups it needs. Azure DevOps ignores Entra application permissions; only these groups count.", []),
                new("App registration → Overview", "Copy the Application (client) ID and the Directory (tenant) ID: the tenant your Azure DevOps organisation is connected to.", []),
            ],
            Fields([.. Common, "tenant", "clientId", "secret", "authorityHost"])),
        ManagedIdentity => new AppGuideView(ManagedIdentity, "Managed identity (no secret)",
            "AdoBridge runs on an Azure host (App Service, Container Apps, a VM) and signs in as that host's managed identity: there is no secret to store or rotate.", null,
            [
                new("Azure portal → your AdoBridge host → Identity", "Turn on the system-assigned identity, or attach a user-assigned identity and copy its Client ID.", []),
                new("Azure DevOps → Organization settings → Users", "Select Add users, find the identity by its name, and give it the access level and project groups it needs.", []),
                new("Microsoft Entra ID → Overview", "Copy the Tenant ID of the tenant your Azure DevOps organisation is connected to.", []),
            ],
            Fields([.. Common, "tenant", "clientId", "managedIdentityClientId", "authorityHost"])),
        WorkloadFederation => new AppGuideView(WorkloadFederation, "Workload identity federation (no secret)",
            "AdoBridge runs in Kubernetes or CI and proves itself with the platform's signed token file: no secret leaves the platform.", null,
            [
                new("Azure portal → Microsoft Entra ID → App registrations", "Select New registration, name it and select Register.", []),
                new("App registration → Certificates & secrets → Federated credentials",
                    "Select Add credential, choose your platform (Kubernetes: the cluster's issuer URL, namespace and service account), and save.", []),
                new("Azure DevOps → Organization settings → Users", "Add the app as a user with the access level and project groups it needs.", []),
                new("Your deployment", "Mount the projected token and give AdoBridge its path (AZURE_FEDERATED_TOKEN_FILE in an AKS pod with workload identity).", [new("Usual path on AKS", "/var/run/secrets/azure/tokens/azure-identity-token")]),
            ],
            Fields([.. Common, "tenant", "clientId", "federatedTokenFile", "authorityHost"])),
        Pat => new AppGuideView(Pat, "Personal access tokens (Azure DevOps Services or Server)",
            "End users paste a personal access token on the connect page. The only way to reach Azure DevOps Server, and a quick start for Services.", null,
            [
                new("Azure DevOps → User settings → Personal access tokens",
                    "Each end user creates a token there when they connect (the connect page tells them which scopes). Nothing is registered in Azure.", []),
                new("Azure DevOps Server only", "Enter the collection URL below, e.g. https://ado.contoso.com/tfs/DefaultCollection. Leave it empty for Azure DevOps Services.", []),
            ],
            Fields([.. Common, "serverUrl", "returnUrls"])),
        Legacy => new AppGuideView(Legacy, "Legacy Azure DevOps OAuth app (migration only)",
            "Only to keep serving an app registered before 2025 while its users move to an Entra app.",
            "Microsoft stopped new Azure DevOps OAuth registrations in 2025 and is retiring the platform in 2026. Set up an Entra app too and reconnect users through it.",
            [
                new("app.vssps.visualstudio.com → your profile → the app", "Copy the App ID, the Client Secret and the exact scopes the app was registered with. Its authorization callback URL must be this one.", [new("Authorization callback URL", redirectUri)]),
            ],
            Fields([.. Common, "clientId", "secret", "scopes", "returnUrls"])),
        _ => null,
    };

    private static HashSet<string> Fields(string[] names) => new(names, StringComparer.Ordinal);
}
