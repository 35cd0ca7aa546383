namespace AdoBridge.Emulator;

/// <summary>Fixed identifiers of the seeded emulator data, so tests and the sandbox can name them.</summary>
public static class EmulatorDefaults
{
    public const string TenantId = "3f6a1c2e-8d4b-4e7a-9c15-2b7d9e0f4a61";
    public const string TenantDomain = "fabrikam.onmicrosoft.com";
    public const string TenantDisplayName = "Fabrikam";

    /// <summary>Home tenant of the seeded guest user.</summary>
    public const string GuestTenantId = "9b2e7d41-5c3a-4f86-a0d2-6e1f8c3b7a95";
    public const string GuestTenantDomain = "contoso.onmicrosoft.com";

    public const string Organization = "fabrikam";
    public const string LabsOrganization = "fabrikam-labs";
    public const string Project = "Fabrikam-Fiber-Git";
    public const string TfvcProject = "Fabrikam-Fiber-TFVC";

    /// <summary>The seeded Git repository (in project Fabrikam-Fiber-Git) with branches main, feature/login, feature/search.</summary>
    public const string Repository = "Fabrikam-Fiber-Git";
    public const string RepositoryId = "5febef5a-833d-4e14-b9c0-14cb638f91e6";

    /// <summary>Application id of Azure DevOps in Entra ID.</summary>
    public const string AzureDevOpsResourceId = "499b84ac-1321-427f-aa17-267ca6975798";

    /// <summary>Resource URI of Azure DevOps, accepted as a scope prefix like the resource id.</summary>
    public const string AzureDevOpsResourceUri = "https://app.vssps.visualstudio.com";

    /// <summary>Member of both organisations.</summary>
    public const string AliceUpn = "alice@fabrikam.onmicrosoft.com";
    public const string AliceId = "a11ce5e5-0000-4000-8000-000000000001";

    /// <summary>Member of the fabrikam organisation only.</summary>
    public const string BobUpn = "bob@fabrikam.onmicrosoft.com";
    public const string BobId = "b0b0b0b0-0000-4000-8000-000000000002";

    /// <summary>Home tenant Contoso, guest in the Fabrikam tenant, member of the fabrikam organisation.</summary>
    public const string GuestUpn = "carol@contoso.onmicrosoft.com";
    public const string GuestId = "ca401000-0000-4000-8000-000000000003";

    /// <summary>Contoso user who is not a guest in Fabrikam (signing into Fabrikam gives AADSTS50020).</summary>
    public const string OutsiderUpn = "dave@contoso.onmicrosoft.com";
    public const string OutsiderId = "da7e0000-0000-4000-8000-000000000004";

    public const string OrganizationId = "0f4b1c7a-2d3e-4f5a-8b6c-7d8e9f0a1b2c";
    public const string LabsOrganizationId = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";

    /// <summary>First path segment of each emulated host under the emulator base URL.</summary>
    public const string LoginHost = "login.microsoftonline.com";
    public const string VsspsAppHost = "app.vssps.visualstudio.com";
    public const string DevOpsHost = "dev.azure.com";
    public const string VsspsHost = "vssps.dev.azure.com";
}
