using System.Globalization;
using AdoBridge.AdminConsole.Components;
using AdoBridge.ApiKeys;
using AdoBridge.Apps;
using AdoBridge.Apps.Checks;
using AdoBridge.AzureDevOps;
using AdoBridge.ConnectSessions;
using AdoBridge.Emulator;
using AdoBridge.Environments;
using AdoBridge.Hosting;
using AdoBridge.Problems;
using AdoBridge.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AdoBridge.AdminConsole;

/// <summary>The setup guide's form: the union of every guide's fields; each guide reads those it shows. Any may be missing.</summary>
internal sealed class AppForm
{
    public string? Name { get; init; }
    public string? DisplayName { get; init; }
    public string? TenantMode { get; init; }
    public string? Tenant { get; init; }
    public string? ClientId { get; init; }
    public string? SecretId { get; init; }
    public string? Secret { get; init; }
    public string? SecretExpires { get; init; }
    public string? AuthorityHost { get; init; }
    public string? ManagedIdentityClientId { get; init; }
    public string? FederatedTokenFile { get; init; }
    public string? ServerUrl { get; init; }
    public string? Scopes { get; init; }
    public string? ReturnUrls { get; init; }

    public AppFormView View() => new(Name, DisplayName, TenantMode, Tenant, ClientId, SecretId, SecretExpires, AuthorityHost, ManagedIdentityClientId, FederatedTokenFile, ServerUrl, Scopes, ReturnUrls);
}

/// <summary>A secret added, or its value replaced, from an app's page.</summary>
internal sealed class SecretForm
{
    public string? Id { get; init; }
    public string? Value { get; init; }
    public string? Expires { get; init; }
}

/// <summary>The test connection's form: the environment the test connection is made in.</summary>
internal sealed class TestConnectionForm
{
    public string? Environment { get; init; }
}

/// <summary>
/// The console's apps: the list with what needs attention (invalid settings, secrets about to expire), a setup guide per
/// kind of app that saves through the app registry (the same validation as the admin API), an app's page with secret
/// rotation, the live doctor, and a test connection through the real connect flow. Apps are the owner's, as in the API.
/// </summary>
internal static class ConsoleAppEndpoints
{
    private const string TestEndUser = "adobridge-console-test";

    public static IEndpointRouteBuilder MapConsoleApps(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/console/apps").ExcludeFromDescription().RequireAuthorization(ConsoleAuth.Policy).RequireConsoleAntiforgery();
        pages.MapGet("/", ListAsync).WithName("consoleApps").WithSummary("Apps page")
            .WithDescription("Apps with their state and expiring secrets, and the setup guides.").WithProblemCodes(403, "owner_only");
        pages.MapGet("/new/{kind}", Guide).WithName("consoleAppGuide").WithSummary("Setup guide")
            .WithDescription("A setup guide for one kind of app: the Azure portal's steps and the form they end in.").WithProblemCodes(404, "not_found");
        pages.MapPost("/new/{kind}", CreateAsync).WithName("consoleAppCreate").WithSummary("Create an app from the guide")
            .WithDescription("Saves the guide's form as a new app through the app registry.").WithProblemCodes(400, "invalid_app_config");
        pages.MapGet("/{name}", DetailAsync).WithName("consoleApp").WithSummary("App page")
            .WithDescription("An app's settings, secrets, redirect URI and findings.").WithProblemCodes(404, "app_not_found");
        pages.MapGet("/{name}/doctor", DoctorAsync).WithName("consoleAppDoctor").WithSummary("Run the doctor")
            .WithDescription("Runs the doctor live against the identity provider and shows each finding with its fix.").WithProblemCodes(404, "app_not_found");
        pages.MapPost("/{name}/secrets", PutSecretAsync).WithName("consoleAppSecret").WithSummary("Add or replace a client secret")
            .WithDescription("Adds a client secret, or replaces the value of the one with the same id.").WithProblemCodes(400, "invalid_app_config");
        pages.MapPost("/{name}/secrets/{id}/retire", RetireSecretAsync).WithName("consoleAppSecretRetire").WithSummary("Retire a client secret")
            .WithDescription("Removes a client secret from the app once its successor works.").WithProblemCodes(400, "invalid_app_config");
        pages.MapPost("/{name}/test", StartTestAsync).WithName("consoleAppTest").WithSummary("Start a test connection")
            .WithDescription("Creates a connect link for a test end user through the connect flow this app serves.").WithProblemCodes(404, "app_not_found");
        pages.MapGet("/{name}/test/{sessionId}", TestStatusAsync).WithName("consoleAppTestStatus").WithSummary("Test connection status")
            .WithDescription("Where the test connection stands: waiting, connected or failed.").WithProblemCodes(404, "not_found");
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, IAntiforgery antiforgery, AppRegistry apps, TimeProvider clock, string? deleted, CancellationToken ct)
    {
        if (NotOwner(http, antiforgery) is { } refused)
        {
            return refused;
        }

        var now = clock.GetUtcNow();
        var rows = (await apps.ListAsync(ct)).OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => new AppRowView(
            a.Name, a.Type, a.Source, a.IsValid, a.Issues.Count(i => i.IsError), a.Issues.Count(i => !i.IsError),
            (a.Definition.ClientSecrets ?? []).Select(s => Due(s.ExpiresAt, now)).OfType<string>().FirstOrDefault())).ToList();
        return new RazorComponentResult<AppsPage>(new { Frame = ConsoleEndpoints.Frame(http, antiforgery, signedIn: true), Rows = rows });
    }

    private static IResult Guide(string kind, HttpContext http, IAntiforgery antiforgery, PublicUrls urls, AzureDevOpsHosts hosts, SandboxMode sandbox)
    {
        if (NotOwner(http, antiforgery) is { } refused)
        {
            return refused;
        }

        var guide = ConsoleAppGuides.For(kind, PublicUrls.RedirectUri(urls.BaseUrl));
        if (guide is null)
        {
            return NotFound(http, antiforgery, $"There is no setup guide '{kind}'. The guides are: {string.Join(", ", ConsoleAppGuides.Kinds)}.");
        }

        var form = new AppFormView(null, null, "multi", null, null, DateTimeOffset.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture), null,
            SandboxAuthorityHost(hosts, sandbox), null, kind == ConsoleAppGuides.WorkloadFederation ? "/var/run/secrets/azure/tokens/azure-identity-token" : null, null,
            kind == ConsoleAppGuides.Legacy ? "vso.code vso.work_write" : null, null);
        return GuidePage(http, antiforgery, guide, form, [], sandbox.Enabled, StatusCodes.Status200OK);
    }

    private static async Task<IResult> CreateAsync(
        string kind, [FromForm] AppForm form, HttpContext http, IAntiforgery antiforgery, AppRegistry apps, PublicUrls urls, ConsoleAccounts accounts, SandboxMode sandbox, CancellationToken ct)
    {
        if (NotOwner(http, antiforgery) is { } refused)
        {
            return refused;
        }

        var guide = ConsoleAppGuides.For(kind, PublicUrls.RedirectUri(urls.BaseUrl));
        if (guide is null)
        {
            return NotFound(http, antiforgery, $"There is no setup guide '{kind}'. The guides are: {string.Join(", ", ConsoleAppGuides.Kinds)}.");
        }

        var name = ConsoleEndpoints.Blank(form.Name);
        if (name is null || !AppValidator.IsValidName(name))
        {
            return GuidePage(http, antiforgery, guide, form.View(), [new FindingView("name", DoctorCheck.Fail,
                name is null ? "The app needs a name." : $"'{name}' is not a valid app name.", "Use lowercase letters, digits and '-', starting with a letter or digit, e.g. 'entra-prod'.")], sandbox.Enabled, StatusCodes.Status400BadRequest);
        }

        if (await apps.GetAsync(name, ct) is not null)
        {
            return GuidePage(http, antiforgery, guide, form.View(), [new FindingView("name", DoctorCheck.Fail,
                $"An app named '{name}' exists already.", $"Choose another name, or open the app's page (/console/apps/{name}) to change its secrets.")], sandbox.Enabled, StatusCodes.Status409Conflict);
        }

        if (ParseDate(form.SecretExpires, out var expires) is { } badDate)
        {
            return GuidePage(http, antiforgery, guide, form.View(), [badDate], sandbox.Enabled, StatusCodes.Status400BadRequest);
        }

        try
        {
            await apps.PutAsync(name, Definition(kind, form, expires), ct: ct);
        }
        catch (AppValidationException e)
        {
            return GuidePage(http, antiforgery, guide, form.View(), Findings(e.Issues.Where(i => i.IsError)), sandbox.Enabled, StatusCodes.Status400BadRequest);
        }

        await accounts.RecordAsync(ConsoleAccounts.Normalize(http.User.UserName()), ConsoleAppActions.Create, $"app {name} ({ConsoleAppGuides.TypeOf(kind)}) created from the {kind} guide", ConsoleEndpoints.RemoteAddress(http), ct);
        return Results.Redirect($"/console/apps/{Uri.EscapeDataString(name)}?created=1");
    }

    /// <summary>The app the guide's form describes, in the admin API's shape; fields a guide does not show stay unset.</summary>
    private static AppDefinition Definition(string kind, AppForm form, DateTimeOffset? expires)
    {
        var fields = ConsoleAppGuides.For(kind, string.Empty)!.Fields;
        string? Field(string field, string? value) => fields.Contains(field) ? ConsoleEndpoints.Blank(value) : null;
        var definition = new AppDefinition
        {
            Type = ConsoleAppGuides.TypeOf(kind),
            DisplayName = Field("displayName", form.DisplayName),
            Tenant = fields.Contains("tenantMode") && form.TenantMode != "single" ? "organizations" : Field("tenant", form.Tenant),
            ClientId = Field("clientId", form.ClientId),
            AuthorityHost = Field("authorityHost", form.AuthorityHost),
            ManagedIdentityClientId = Field("managedIdentityClientId", form.ManagedIdentityClientId),
            FederatedTokenFile = Field("federatedTokenFile", form.FederatedTokenFile),
            UseManagedIdentity = kind == ConsoleAppGuides.ManagedIdentity ? true : null,
            AzureDevOps = Field("serverUrl", form.ServerUrl) is { } server ? new AzureDevOpsTarget { ServerUrl = server } : null,
            Scopes = Field("scopes", form.Scopes)?.Split([' ', ',', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList(),
            AllowedReturnUrls = Field("returnUrls", form.ReturnUrls)?.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
        };
        if (fields.Contains("secret"))
        {
            // The value is kept exactly as pasted: the validator names a stray space or line break instead of hiding it.
            definition.ClientSecrets = [new ClientSecretDefinition { Id = ConsoleEndpoints.Blank(form.SecretId) ?? "1", Value = form.Secret ?? string.Empty, ExpiresAt = expires }];
        }

        return definition;
    }

    private static async Task<IResult> DetailAsync(
        string name, HttpContext http, IAntiforgery antiforgery, AppRegistry apps, EnvironmentService environments, TimeProvider clock, string? created, string? added, string? replaced, string? retired, CancellationToken ct)
    {
        if (NotOwner(http, antiforgery) is { } refused)
        {
            return refused;
        }

        return await apps.GetAsync(name, ct) is { } found
            ? await DetailPage(http, antiforgery, found, environments, clock, Notice(created, added, replaced, retired), [], StatusCodes.Status200OK, ct)
            : AppNotFound(http, antiforgery, name);
    }

    /// <summary>The notice after a redirect: fixed sentences, so a crafted link cannot put words of its own on the page.</summary>
    private static string? Notice(string? created, string? added, string? replaced, string? retired)
        => created is not null ? "The app is saved. The doctor checks it against the identity provider below."
            : ConsoleEndpoints.Blank(added) is { Length: <= 100 } a ? $"Secret {a} is added. The doctor checks each secret on its own: once both pass, retire the old one."
            : ConsoleEndpoints.Blank(replaced) is { Length: <= 100 } r ? $"The value of secret {r} is replaced."
            : ConsoleEndpoints.Blank(retired) is { Length: <= 100 } t ? $"Secret {t} is retired. Delete it in the Azure portal too."
            : null;

    private static async Task<IResult> DoctorAsync(string name, string? tenant, HttpContext http, IAntiforgery antiforgery, AppRegistry apps, AppDoctor doctor, CancellationToken ct)
    {
        if (NotOwner(http, antiforgery) is { } refused)
        {
            return refused;
        }

        if (await apps.GetAsync(name, ct) is not { } found)
        {
            return AppNotFound(http, antiforgery, name);
        }

        var report = await doctor.ExamineAsync(found, ConsoleEndpoints.Blank(tenant), ct);
        return new RazorComponentResult<DoctorResults>(new
        {
            Report = new DoctorView(report.App, report.Verdict, report.Checks.Select(c => new FindingView(c.Name, c.Status, c.Message, c.Fix)).ToList()),
        });
    }

    private static async Task<IResult> PutSecretAsync(
        string name, [FromForm] SecretForm form, HttpContext http, IAntiforgery antiforgery, AppRegistry apps, ConsoleAccounts accounts, EnvironmentService environments, TimeProvider clock, CancellationToken ct)
    {
        if (NotOwner(http, antiforgery) is { } refused)
        {
            return refused;
        }

        if (await apps.GetAsync(name, ct) is not { } found)
        {
            return AppNotFound(http, antiforgery, name);
        }

        var id = ConsoleEndpoints.Blank(form.Id);
        if (ParseDate(form.Expires, out var expires) is { } badDate)
        {
            return await DetailPage(http, antiforgery, found, environments, clock, null, [badDate], StatusCodes.Status400BadRequest, ct);
        }

        if (id is null || string.IsNullOrEmpty(form.Value))
        {
            return await DetailPage(http, antiforgery, found, environments, clock, null,
                [new FindingView("secret", DoctorCheck.Fail, "A secret needs a name and its value.", "Name it after the month it was created (e.g. 2027-05) and paste the Value column from Certificates & secrets.")],
                StatusCodes.Status400BadRequest, ct);
        }

        var definition = found.Definition.Clone();
        var secrets = definition.ClientSecrets ?? [];
        var existing = secrets.FirstOrDefault(s => s.Id == id);
        if (existing is not null)
        {
            existing.Value = form.Value;
            existing.ExpiresAt = expires ?? existing.ExpiresAt;
        }
        else
        {
            secrets.Add(new ClientSecretDefinition { Id = id, Value = form.Value, ExpiresAt = expires });
        }

        definition.ClientSecrets = secrets;
        var outcome = await SaveAsync(http, antiforgery, found, definition, apps, environments, clock, ct);
        if (outcome is not null)
        {
            return outcome;
        }

        await accounts.RecordAsync(ConsoleAccounts.Normalize(http.User.UserName()), ConsoleAppActions.SecretSet,
            $"app {name}: secret {id} {(existing is null ? "added" : "value replaced")}", ConsoleEndpoints.RemoteAddress(http), ct);
        return Results.Redirect($"/console/apps/{Uri.EscapeDataString(name)}?{(existing is null ? "added" : "replaced")}={Uri.EscapeDataString(id)}");
    }

    private static async Task<IResult> RetireSecretAsync(
        string name, string id, HttpContext http, IAntiforgery antiforgery, AppRegistry apps, ConsoleAccounts accounts, EnvironmentService environments, TimeProvider clock, CancellationToken ct)
    {
        if (NotOwner(http, antiforgery) is { } refused)
        {
            return refused;
        }

        if (await apps.GetAsync(name, ct) is not { } found)
        {
            return AppNotFound(http, antiforgery, name);
        }

        var definition = found.Definition.Clone();
        if (definition.ClientSecrets?.RemoveAll(s => s.Id == id) is not > 0)
        {
            return await DetailPage(http, antiforgery, found, environments, clock, null,
                [new FindingView("secret", DoctorCheck.Fail, $"The app has no secret '{id}'.", "Reload the page: the list of secrets may have changed.")], StatusCodes.Status404NotFound, ct);
        }

        if (await SaveAsync(http, antiforgery, found, definition, apps, environments, clock, ct) is { } outcome)
        {
            return outcome;
        }

        await accounts.RecordAsync(ConsoleAccounts.Normalize(http.User.UserName()), ConsoleAppActions.SecretRetired, $"app {name}: secret {id} retired", ConsoleEndpoints.RemoteAddress(http), ct);
        return Results.Redirect($"/console/apps/{Uri.EscapeDataString(name)}?retired={Uri.EscapeDataString(id)}");
    }

    /// <summary>Saves a changed app through the registry; null when saved, else the app's page with what the validator refused.</summary>
    private static async Task<IResult?> SaveAsync(
        HttpContext http, IAntiforgery antiforgery, ResolvedApp found, AppDefinition definition, AppRegistry apps, EnvironmentService environments, TimeProvider clock, CancellationToken ct)
    {
        if (found.Source != ResolvedApp.FromApi)
        {
            return await DetailPage(http, antiforgery, found, environments, clock, null, [ReadOnly(found)], StatusCodes.Status409Conflict, ct);
        }

        try
        {
            await apps.PutAsync(found.Name, definition, ct: ct);
            return null;
        }
        catch (AppValidationException e)
        {
            return await DetailPage(http, antiforgery, found, environments, clock, null, Findings(e.Issues.Where(i => i.IsError)), StatusCodes.Status400BadRequest, ct);
        }
    }

    private static async Task<IResult> StartTestAsync(
        string name, [FromForm] TestConnectionForm form, HttpContext http, IAntiforgery antiforgery, AppRegistry apps, EnvironmentService environments,
        ConnectSessionService sessions, ConsoleAccounts accounts, TimeProvider clock, CancellationToken ct)
    {
        if (NotOwner(http, antiforgery) is { } refused)
        {
            return refused;
        }

        if (await apps.GetAsync(name, ct) is not { } found)
        {
            return AppNotFound(http, antiforgery, name);
        }

        var known = (await environments.ListAsync(ct)).Select(e => e.Id).ToList();
        var environment = ConsoleEndpoints.Blank(form.Environment);
        if (environment is null || !known.Contains(environment))
        {
            return await DetailPage(http, antiforgery, found, environments, clock, null,
                [new FindingView("environment", DoctorCheck.Fail, "Choose the environment the test connection is made in.", $"One of: {string.Join(", ", known)}.")], StatusCodes.Status400BadRequest, ct);
        }

        if (!found.IsValid || found.Type == AppTypes.ServicePrincipal)
        {
            return await DetailPage(http, antiforgery, found, environments, clock, null,
                [new FindingView("test", DoctorCheck.Fail, found.IsValid ? "A service principal connects without a user, so it has no connect link to test." : "The app's settings have errors, so no one can connect through it yet.",
                    found.IsValid ? "The doctor's credentials check above is the test: it signs in as the app." : "Fix the findings above, then start the test again.")], StatusCodes.Status400BadRequest, ct);
        }

        var (session, url) = await sessions.CreateAsync(environment, TestEndUser, "Console test", found.Name, returnUrl: null, reconnectId: null, ct);
        await accounts.RecordAsync(ConsoleAccounts.Normalize(http.User.UserName()), ConsoleAppActions.Test, $"app {name}: test connection {session.Id} in {environment}", ConsoleEndpoints.RemoteAddress(http), ct);
        return new RazorComponentResult<TestConnectionStatus>(new { Test = new TestConnectionView(found.Name, session.Id, session.Status, url, null, null, TestPollUrl(found.Name, session.Id)) });
    }

    private static async Task<IResult> TestStatusAsync(string name, string sessionId, ConnectSessionService sessions, HttpContext http, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (NotOwner(http, antiforgery) is { } refused)
        {
            return refused;
        }

        var session = await sessions.FindByIdAsync(sessionId, ct);
        if (session is null || session.AppName != name || session.EndUserId != TestEndUser)
        {
            return NotFound(http, antiforgery, $"There is no test connection {sessionId} for app '{name}'. Start one from the app's page.");
        }

        var error = session.Status == ConnectSessionStatus.Failed ? $"The connect flow ended with {session.ErrorCode ?? "an error"}; the page the browser showed says why." : null;
        return new RazorComponentResult<TestConnectionStatus>(new
        {
            Test = new TestConnectionView(name, session.Id, session.Status, null, session.ConnectionId, error, TestPollUrl(name, session.Id)),
        });
    }

    private static string TestPollUrl(string app, string sessionId) => $"/console/apps/{Uri.EscapeDataString(app)}/test/{Uri.EscapeDataString(sessionId)}";

    private static async Task<IResult> DetailPage(
        HttpContext http, IAntiforgery antiforgery, ResolvedApp app, EnvironmentService environments, TimeProvider clock, string? notice, IReadOnlyList<FindingView> errors, int status, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var d = app.Definition;
        var usesSecrets = app.Type is AppTypes.Entra or AppTypes.Legacy || (app.Type == AppTypes.ServicePrincipal && d.UseManagedIdentity != true && string.IsNullOrEmpty(d.FederatedTokenFile));
        var view = new AppDetailView(
            app.Name, app.Type, app.Source, app.Source == ResolvedApp.FromApi, d.DisplayName, d.Tenant, d.ClientId, app.RedirectUri,
            (d.ClientSecrets ?? []).Select(s => new AppSecretView(s.Id ?? "?", s.ExpiresAt?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                AppsApi.AppView.Fingerprint(s.Value), Due(s.ExpiresAt, now))).ToList(),
            usesSecrets, Findings(app.Issues), (await environments.ListAsync(ct)).Select(e => e.Id).ToList());
        return new RazorComponentResult<AppPage>(new { Frame = ConsoleEndpoints.Frame(http, antiforgery, signedIn: true), App = view, Notice = notice, Errors = errors }) { StatusCode = status };
    }

    private static RazorComponentResult<AppGuidePage> GuidePage(HttpContext http, IAntiforgery antiforgery, AppGuideView guide, AppFormView form, IReadOnlyList<FindingView> errors, bool sandbox, int status)
        => new(new { Frame = ConsoleEndpoints.Frame(http, antiforgery, signedIn: true), Guide = guide, Form = form, Errors = errors, Sandbox = sandbox }) { StatusCode = status };

    /// <summary>In sandbox mode the emulator stands in for Microsoft's sign-in, so a guide's authority host starts at its login host.</summary>
    private static string? SandboxAuthorityHost(AzureDevOpsHosts hosts, SandboxMode sandbox)
        => sandbox.Enabled && hosts.EmulatorBaseUrl is { } emulator ? emulator + EmulatorDefaults.LoginHost : null;

    private static List<FindingView> Findings(IEnumerable<ConfigIssue> issues)
        => issues.Select(i => new FindingView(i.Field, i.IsError ? DoctorCheck.Fail : DoctorCheck.Warn, i.Message, i.Fix)).ToList();

    private static FindingView ReadOnly(ResolvedApp app)
        => new("source", DoctorCheck.Fail, $"App '{app.Name}' comes from {app.Source}, not the admin API, so the console cannot change it.",
            app.Source == ResolvedApp.FromSandbox ? "The sandbox app is AdoBridge's own; set up an app of your own beside it." : "Change it where it is defined (appsettings.json, the ADOBRIDGE_CONFIG file or environment variables).");

    private static FindingView? ParseDate(string? value, out DateTimeOffset? date)
    {
        date = null;
        if (ConsoleEndpoints.Blank(value) is not { } text)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            date = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return null;
        }

        return new FindingView("expires", DoctorCheck.Fail, $"'{text}' is not a date.", "Give the Expires date from the portal as YYYY-MM-DD, e.g. 2027-05-31.");
    }

    /// <summary>"expired" or "expires in N days" when a secret needs replacing within the validator's warning window.</summary>
    internal static string? Due(DateTimeOffset? expires, DateTimeOffset now)
        => expires is not { } at ? null
            : at <= now ? "expired"
            : at - now <= AppValidator.ExpiryWarning ? $"expires in {(int)Math.Ceiling((at - now).TotalDays)} days"
            : null;

    private static RazorComponentResult<MessagePage>? NotOwner(HttpContext http, IAntiforgery antiforgery)
        => http.User.ConsoleRole() == ApiKeyRoles.Owner ? null
            : ConsoleProblems.Page(http, antiforgery, "Only the owner manages apps", StatusCodes.Status403Forbidden,
                "Apps hold the identity settings every environment relies on, so, as in the admin API, only the owner may see and change them. Ask the owner to sign in.");

    private static RazorComponentResult<MessagePage> AppNotFound(HttpContext http, IAntiforgery antiforgery, string name)
        => NotFound(http, antiforgery, $"There is no app named '{name}'. The apps page lists them all.");

    private static RazorComponentResult<MessagePage> NotFound(HttpContext http, IAntiforgery antiforgery, string message)
        => ConsoleProblems.Page(http, antiforgery, "Not found", StatusCodes.Status404NotFound, message);
}

/// <summary>What the console's audit records for apps.</summary>
internal static class ConsoleAppActions
{
    public const string Create = "console.app_created";
    public const string SecretSet = "console.app_secret_set";
    public const string SecretRetired = "console.app_secret_retired";
    public const string Test = "console.app_test_started";
}
