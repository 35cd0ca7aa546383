using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AdoBridge.Apps;
using AdoBridge.AzureDevOps;
using AdoBridge.Emulator;
using AdoBridge.Hosting;
using AdoBridge.Security;
using Microsoft.Extensions.Options;

namespace AdoBridge.Sandbox;

/// <summary>What a newcomer needs to try the sandbox, shown in the banner and by GET /v1/sandbox.</summary>
internal sealed record SandboxDetails(
    string AppName, string EmulatorBaseUrl, string OrganizationUrl, string Organization, string Project,
    IReadOnlyList<SandboxUser> Users, string Pat, string EmulatorAdminToken);

internal sealed record SandboxUser(string UserPrincipalName, string DisplayName, IReadOnlyList<string> Organizations);

/// <summary>
/// Wires the emulator to AdoBridge through the emulator's own admin API (so an emulator in another process works the
/// same): an Entra app registered on both sides, its secret sealed in the database like any other, and a PAT for the
/// seeded user. Values derive from the master key, so a restart, or a second instance on the same database, finds the
/// same app, PAT and admin token.
/// </summary>
internal sealed class SandboxSetup(SandboxMode mode, AppRegistry apps, AzureDevOpsHosts hosts, PublicUrls urls, MasterKey master, IHttpClientFactory http, IOptionsMonitor<AdoBridgeOptions> options)
{
    private static readonly string[] SandboxPatScopes = ["vso.profile", "vso.project", "vso.code_full", "vso.work_full", "vso.build_execute", "vso.hooks_write", "vso.threads_full"];

    public const string AppName = "sandbox";

    public SandboxDetails? Details { get; private set; }

    /// <summary>Token for the in-process emulator's admin API (`/_emulator/_admin`), derived from the master key.</summary>
    public static string AdminToken(MasterKey master) => Derive(master, "emulator-admin", 32);

    public async Task<SandboxDetails?> EnsureAsync(CancellationToken ct)
    {
        if (!mode.Enabled)
        {
            return null;
        }

        var baseUrl = urls.BaseUrl;
        var emulatorBase = hosts.EmulatorBaseUrl!;
        var adminToken = options.CurrentValue.EmulatorAdminToken ?? AdminToken(master);
        var clientId = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes("adobridge/sandbox-client/" + master.CurrentId))[..16]).ToString();
        var secret = Derive(master, "sandbox-client-secret", 30);
        var definition = new AppDefinition
        {
            Type = AppTypes.Entra,
            DisplayName = "AdoBridge sandbox",
            Tenant = EmulatorDefaults.TenantId,
            AuthorityHost = emulatorBase + EmulatorDefaults.LoginHost,
            ClientId = clientId,
            ClientSecrets = [new ClientSecretDefinition { Id = "sandbox", Value = secret }],
            Scopes = ["user_impersonation"],
            AllowedReturnUrls = [baseUrl + "/", .. (options.CurrentValue.SandboxRedirectUris ?? []).Select(u => new Uri(u).GetLeftPart(UriPartial.Authority) + "/"), .. options.CurrentValue.SandboxReturnUrls ?? []],
        };
        await apps.PutAsync(AppName, definition, isSandbox: true, ct);

        using var client = http.CreateClient(DevOpsClient.HttpClientName);
        client.BaseAddress = new Uri(emulatorBase + "_admin/");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        (await client.PostAsJsonAsync("entra-apps", new
        {
            displayName = "AdoBridge sandbox",
            tenantId = EmulatorDefaults.TenantId,
            clientId,
            redirectUris = new[] { PublicUrls.RedirectUri(baseUrl) }.Union(options.CurrentValue.SandboxRedirectUris ?? []).ToArray(),
            secrets = new[] { new { secretId = "sandbox", value = secret } },
        }, ct)).EnsureSuccessStatusCode();

        var pat = Derive(master, "sandbox-pat", 39);
        (await client.PostAsJsonAsync("pats", new
        {
            userPrincipalName = EmulatorDefaults.AliceUpn,
            scopes = SandboxPatScopes,
            value = pat,
        }, ct)).EnsureSuccessStatusCode();

        var state = await client.GetFromJsonAsync<JsonElement>("state", ct);
        var users = state.GetProperty("users").EnumerateArray()
            .Where(u => u.GetProperty("tenantId").GetString() == EmulatorDefaults.TenantId
                || u.GetProperty("guestOfTenantIds").EnumerateArray().Any(t => t.GetString() == EmulatorDefaults.TenantId))
            .Select(u => new SandboxUser(u.GetProperty("userPrincipalName").GetString()!, u.GetProperty("displayName").GetString()!,
                u.GetProperty("organizations").EnumerateArray().Select(o => o.GetString()!).ToList()))
            .ToList();

        Details = new SandboxDetails(AppName, emulatorBase, $"{emulatorBase}{EmulatorDefaults.DevOpsHost}/{EmulatorDefaults.Organization}",
            EmulatorDefaults.Organization, EmulatorDefaults.Project, users, pat, adminToken);
        return Details;
    }

    private static string Derive(MasterKey master, string purpose, int length)
    {
        var bytes = HMACSHA256.HashData(master.Current, Encoding.UTF8.GetBytes("adobridge/sandbox/" + purpose));
        var text = Convert.ToBase64String([.. bytes, .. HMACSHA256.HashData(master.Current, bytes)]).Replace('+', 'x').Replace('/', 'y').TrimEnd('=');
        return text[..length];
    }
}
