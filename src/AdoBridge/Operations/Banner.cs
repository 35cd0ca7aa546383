using System.Text;
using AdoBridge.Apps.Checks;
using AdoBridge.Apps;
using AdoBridge.Hosting;
using AdoBridge.Sandbox;

namespace AdoBridge.Operations;

/// <summary>The start-up banner: what a newcomer needs to take the next step, written once to standard output.</summary>
internal static class Banner
{
    public static string Render(string baseUrl, StartupReport report, SandboxMode mode, SandboxDetails? sandbox, IReadOnlyList<ResolvedApp> apps, IReadOnlyList<DoctorReport> verdicts, string storage)
    {
        var b = new StringBuilder();
        b.AppendLine();
        b.AppendLine(mode.Enabled ? $"AdoBridge is running in SANDBOX mode ({mode.Reason}): Azure DevOps and Entra ID are the bundled emulator." : $"AdoBridge is running ({mode.Reason}).");
        b.AppendLine($"  Start page:      {baseUrl}/");
        b.AppendLine($"  API docs:        {baseUrl}/docs   (OpenAPI: {baseUrl}/openapi/v1.json)");
        b.AppendLine(report.ConsoleSetupToken is { } setup
            ? $"  Admin console:   {baseUrl}/console/setup/{setup}   (one-time link to create the owner account; expires in 24 h)"
            : $"  Admin console:   {baseUrl}/console");
        b.AppendLine($"  Redirect URI:    {PublicUrls.RedirectUri(baseUrl)}");
        b.AppendLine($"  Storage:         {storage}, schema version {report.Schema?.CurrentVersion}" + (report.AppliedMigrations.Count > 0 ? $" (applied {string.Join(", ", report.AppliedMigrations)})" : string.Empty));
        b.AppendLine($"  Master key:      {report.KeySource}");
        if (sandbox is not null)
        {
            b.AppendLine($"  Organisation:    {sandbox.OrganizationUrl}   (project {sandbox.Project})");
            b.AppendLine($"  Sign-in users:   {string.Join(", ", sandbox.Users.Select(u => u.UserPrincipalName))}   (pick one on the emulator's sign-in page)");
            b.AppendLine($"  Sandbox PAT:     {sandbox.Pat}   (user {(sandbox.Users.Count > 0 ? sandbox.Users[0].UserPrincipalName : "?")})");
            b.AppendLine("  Webhooks:        loopback receivers allowed (sandbox mode); other private addresses need AdoBridge:Webhooks:AllowedPrivateDestinations");
            b.AppendLine($"  Details as JSON: curl -H \"Authorization: Bearer $KEY\" {baseUrl}/v1/sandbox");
        }

        foreach (var app in apps)
        {
            var verdict = verdicts.FirstOrDefault(v => v.App == app.Name);
            b.AppendLine($"  App {app.Name,-12} {app.Type} from {app.Source}; doctor: {verdict?.OneLine ?? "not run"}");
        }

        if (report.NewApiKey is not null)
        {
            b.AppendLine();
            b.AppendLine($"  API key (owner, shown once; store it now): {report.NewApiKey}");
            b.AppendLine($"  Try it: curl -H \"Authorization: Bearer {report.NewApiKey}\" {baseUrl}/v1/admin/apps");
        }
        else if (report.ApiKeyNote is not null)
        {
            b.AppendLine($"  API keys:        {report.ApiKeyNote}");
        }

        return b.ToString();
    }
}
