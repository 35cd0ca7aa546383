namespace AdoBridge.Client;

/// <summary>What a sandbox-mode AdoBridge runs against: the emulated organisation, its users, a PAT and the emulator's admin token.</summary>
/// <param name="AppName">The sandbox app's name.</param>
/// <param name="EmulatorBaseUrl">The emulator's base URL.</param>
/// <param name="OrganizationUrl">The emulated organisation's URL.</param>
/// <param name="Organization">The emulated organisation's name.</param>
/// <param name="Project">A seeded project.</param>
/// <param name="Users">Users who can sign in.</param>
/// <param name="Pat">A PAT for the first seeded user.</param>
/// <param name="EmulatorAdminToken">The bearer token for the emulator's admin API.</param>
public sealed record SandboxDetails(
    string AppName, string EmulatorBaseUrl, string OrganizationUrl, string Organization, string Project,
    IReadOnlyList<SandboxUser> Users, string Pat, string EmulatorAdminToken)
{
    /// <summary>Describes the sandbox without the PAT or the admin token.</summary>
    public override string ToString()
        => $"SandboxDetails {{ AppName = {AppName}, OrganizationUrl = {OrganizationUrl}, Project = {Project}, Users = {Users.Count}, Pat = ***, EmulatorAdminToken = *** }}";
}

/// <summary>A user who can sign in to the sandbox emulator.</summary>
/// <param name="UserPrincipalName">The sign-in name, e.g. alice@fabrikam.onmicrosoft.com.</param>
/// <param name="DisplayName">The user's display name.</param>
/// <param name="Organizations">The organisations the user belongs to.</param>
public sealed record SandboxUser(string UserPrincipalName, string DisplayName, IReadOnlyList<string> Organizations);
