using System.Security.Cryptography;
using System.Text;
using AdoBridge.Apps;
using AdoBridge.Emulator;
using AdoBridge.Operations;
using AdoBridge.Security;

namespace AdoBridge.Sandbox;

/// <summary>What a newcomer needs to try the sandbox, shown in the banner and by GET /v1/sandbox.</summary>
internal sealed record SandboxDetails(
    string AppName, string EmulatorBaseUrl, string OrganizationUrl, string Organization, string Project,
    IReadOnlyList<SandboxUser> Users, string Pat, string EmulatorAdminToken);

internal sealed record SandboxUser(string UserPrincipalName, string DisplayName, IReadOnlyList<string> Organizations);

/// <summary>
/// Wires the in-process emulator to AdoBridge: an Entra app registered on both sides (its secret sealed in the
/// database like any other), and a PAT for the seeded user. Values are derived from the master key so that a restart
/// finds the same app, PAT and admin token.
/// </summary>
internal sealed class SandboxSetup(SandboxMode mode, EmulatorState emulator, AppRegistry apps, PublicUrls urls, MasterKey master)
{
    public const string AppName = "sandbox";

    public SandboxDetails? Details { get; private set; }

    /// <summary>Token for the emulator's own admin API (`/_emulator/_admin`), derived from the master key.</summary>
    public static string AdminToken(MasterKey master) => Derive(master, "emulator-admin", 32);

    public async Task<SandboxDetails?> EnsureAsync(CancellationToken ct)
    {
        if (!mode.Enabled)
        {
            return null;
        }

        var baseUrl = urls.BaseUrl;
        var emulatorBase = baseUrl + SandboxMode.EmulatorPrefix;
        var clientId = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes("adobridge/sandbox-client/" + master.CurrentId))[..16]).ToString();
        var secret = Derive(master, "sandbox-client-secret", 30);
        var definition = new AppDefinition
        {
            Type = AppTypes.Entra,
            DisplayName = "AdoBridge sandbox",
            Tenant = EmulatorDefaults.TenantId,
            AuthorityHost = $"{emulatorBase}/{EmulatorDefaults.LoginHost}",
            ClientId = clientId,
            ClientSecrets = [new ClientSecretDefinition { Id = "sandbox", Value = secret }],
            Scopes = ["user_impersonation"],
            AllowedReturnUrls = [baseUrl + "/"],
        };
        await apps.PutAsync(AppName, definition, isSandbox: true, ct);
        emulator.RegisterEntraApp(new EntraAppRegistration(EmulatorDefaults.TenantId, clientId, "AdoBridge sandbox",
            [new EmulatorClientSecret("sandbox", secret, null)], [PublicUrls.RedirectUri(baseUrl)]));

        var pat = Derive(master, "sandbox-pat", 39);
        emulator.CreatePat(EmulatorDefaults.AliceUpn, null, ["vso.profile", "vso.project", "vso.code_full", "vso.work_full", "vso.build_execute", "vso.hooks_write", "vso.threads_full"], value: pat);

        Details = new SandboxDetails(
            AppName,
            emulatorBase + "/",
            $"{emulatorBase}/{EmulatorDefaults.DevOpsHost}/{EmulatorDefaults.Organization}",
            EmulatorDefaults.Organization,
            EmulatorDefaults.Project,
            emulator.Users.Where(u => u.TenantId == EmulatorDefaults.TenantId || u.GuestOfTenantIds.Contains(EmulatorDefaults.TenantId))
                .Select(u => new SandboxUser(u.UserPrincipalName, u.DisplayName, u.Organizations)).ToList(),
            pat,
            AdminToken(master));
        return Details;
    }

    private static string Derive(MasterKey master, string purpose, int length)
    {
        var bytes = HMACSHA256.HashData(master.Current, Encoding.UTF8.GetBytes("adobridge/sandbox/" + purpose));
        var text = Convert.ToBase64String([.. bytes, .. HMACSHA256.HashData(master.Current, bytes)]).Replace('+', 'x').Replace('/', 'y').TrimEnd('=');
        return text[..length];
    }
}
