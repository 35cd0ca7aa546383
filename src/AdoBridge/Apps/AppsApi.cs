using AdoBridge.Hosting;
using System.Security.Cryptography;
using System.Text;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Apps;

internal static class AppsApi
{
    public static RouteGroupBuilder MapAppsApi(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/apps").WithTags("Apps").RequireAuthorization(ApiKeys.ApiKeysServiceCollectionExtensions.OwnerPolicy);
        group.MapGet("/", ListAsync).WithName("listApps").WithSummary("List apps")
            .WithDescription("List apps (auth providers) from configuration and the admin API, with their findings.");
        group.MapGet("/{name}", GetAsync).WithName("getApp").WithProblemCodes(404, "app_not_found").WithSummary("Get an app")
            .WithDescription("Get one app. Secret values are never returned; a fingerprint identifies each.");
        group.MapPut("/{name}", PutAsync).WithName("putApp").WithRequestExample("""{"type": "entra", "displayName": "Contoso Code Review", "tenant": "organizations", "clientId": "00001111-aaaa-2222-bbbb-3333cccc4444", "clientSecrets": [{"id": "2026-11", "value": "<secret value>", "expiresAt": "2027-05-01T00:00:00Z"}], "allowedReturnUrls": ["https://app.contoso.com/settings/azure-devops"]}""").WithProblemCodes(400, "invalid_app_config", "invalid_app_name").WithProblemCodes(409, "app_defined_in_configuration", "app_managed_by_sandbox", "app_read_only").WithSummary("Create or replace an app")
            .WithDescription("Create or replace an app. Refused with 400 naming each wrong field; applies at once, no restart.");
        group.MapDelete("/{name}", DeleteAsync).WithName("deleteApp").WithProblemCodes(404, "app_not_found").WithProblemCodes(409, "app_defined_in_configuration", "app_managed_by_sandbox", "app_read_only").WithSummary("Delete an app")
            .WithDescription("Delete an app managed through the admin API.");
        return admin;
    }

    internal sealed record SecretView(string Id, DateTimeOffset? ExpiresAt, string Fingerprint);

    internal sealed record IssueView(string Field, string Code, string Message, string Fix)
    {
        public static IssueView From(ConfigIssue i) => new(i.Field, i.Code, i.Message, i.Fix);
    }

    internal sealed record AppView(
        string Name, string Type, string Source, string Status, string? DisplayName, string? Tenant, string? AuthorityHost, string? ClientId,
        IReadOnlyList<SecretView> ClientSecrets, IReadOnlyList<string>? Scopes, AzureDevOpsTarget? AzureDevOps, string? PublicBaseUrl,
        string RedirectUri, IReadOnlyList<string>? AllowedReturnUrls, bool? UseManagedIdentity, string? ManagedIdentityClientId, string? FederatedTokenFile,
        IReadOnlyList<IssueView> Errors, IReadOnlyList<IssueView> Warnings, DateTimeOffset? UpdatedAt)
    {
        public static AppView From(ResolvedApp app)
        {
            var d = app.Definition;
            return new AppView(
                app.Name, d.Type ?? "unknown", app.Source, app.IsValid ? "valid" : "invalid", d.DisplayName, d.Tenant,
                d.Type is AppTypes.Entra or AppTypes.ServicePrincipal ? d.AuthorityHost ?? AppValidator.DefaultAuthorityHost : null,
                d.ClientId,
                (d.ClientSecrets ?? []).Select(s => new SecretView(s.Id ?? "?", s.ExpiresAt, Fingerprint(s.Value))).ToList(),
                d.Scopes, d.AzureDevOps, d.PublicBaseUrl, app.RedirectUri, d.AllowedReturnUrls, d.UseManagedIdentity, d.ManagedIdentityClientId, d.FederatedTokenFile,
                app.Issues.Where(i => i.IsError).Select(IssueView.From).ToList(),
                app.Issues.Where(i => !i.IsError).Select(IssueView.From).ToList(),
                app.UpdatedAt);
        }

        // Enough to tell two secrets apart or match one against the portal's copy; nothing that helps guess it.
        internal static string Fingerprint(string? value)
            => value is null ? "missing" : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..12];
    }

    internal sealed record AppList(IReadOnlyList<AppView> Items);

    private static async Task<Ok<AppList>> ListAsync(AppRegistry apps, CancellationToken ct)
        => TypedResults.Ok(new AppList((await apps.ListAsync(ct)).Select(AppView.From).ToList()));

    private static async Task<Results<Ok<AppView>, ProblemHttpResult>> GetAsync(string name, AppRegistry apps, CancellationToken ct)
        => await apps.GetAsync(name, ct) is { } app ? TypedResults.Ok(AppView.From(app)) : NotFound(name);

    private static async Task<Results<Ok<AppView>, Created<AppView>, ProblemHttpResult>> PutAsync(string name, AppDefinition definition, AppRegistry apps, CancellationToken ct)
    {
        if (!AppValidator.IsValidName(name))
        {
            return Problem.BadRequest("invalid_app_name", $"'{name}' is not a valid app name: use lowercase letters, digits and '-', starting with a letter or digit (e.g. 'entra-prod').");
        }

        if (await apps.GetAsync(name, ct) is { } current && current.Source != ResolvedApp.FromApi)
        {
            return current.Source == ResolvedApp.FromConfiguration
                ? Problem.Conflict("app_defined_in_configuration", $"App '{name}' is defined in configuration (appsettings.json, the ADOBRIDGE_CONFIG file or environment variables); change it there, or choose another name.")
                : Problem.Conflict("app_managed_by_sandbox", $"App '{name}' is the sandbox app that AdoBridge manages itself; choose another name.");
        }

        try
        {
            var (app, created) = await apps.PutAsync(name, definition, ct: ct);
            var view = AppView.From(app);
            return created ? TypedResults.Created($"/v1/admin/apps/{name}", view) : TypedResults.Ok(view);
        }
        catch (AppValidationException e)
        {
            var errors = e.Issues.Where(i => i.IsError).ToList();
            return Problem.BadRequest(
                "invalid_app_config",
                errors.Count == 1 ? $"{errors[0].Field}: {errors[0].Message} {errors[0].Fix}" : $"{errors.Count} settings need fixing: {string.Join("; ", errors.Select(i => i.Field))}. See `errors` for each fix.",
                new Dictionary<string, object?>
                {
                    ["errors"] = errors.Select(IssueView.From).ToList(),
                    ["warnings"] = e.Issues.Where(i => !i.IsError).Select(IssueView.From).ToList(),
                });
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string name, AppRegistry apps, CancellationToken ct)
    {
        var app = await apps.GetAsync(name, ct);
        if (app is null)
        {
            return NotFound(name);
        }

        if (app.Source != ResolvedApp.FromApi)
        {
            return Problem.Conflict("app_read_only", $"App '{name}' comes from {app.Source}, not the admin API; remove it there.");
        }

        await apps.DeleteAsync(app.Name, ct);
        return TypedResults.NoContent();
    }

    internal static ProblemHttpResult NotFound(string name)
        => Problem.NotFound("app_not_found", $"There is no app named '{name}'. List apps with GET /v1/admin/apps; create one with PUT /v1/admin/apps/{{name}}.");
}
