using AdoBridge.AdminConsole.Components;
using AdoBridge.ApiKeys;
using AdoBridge.Environments;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AdoBridge.AdminConsole;

/// <summary>The API key form's fields; any may be missing from a hand-made post.</summary>
internal sealed class ApiKeyForm
{
    public string? Name { get; init; }
    public string? Environment { get; init; }
    public string? Role { get; init; }
}

/// <summary>The environment form's fields; any may be missing from a hand-made post.</summary>
internal sealed class EnvironmentForm
{
    public string? Id { get; init; }
    public string? Name { get; init; }
}

/// <summary>
/// The API keys and environments pages. Who may do what is the API's rule, applied by the same code
/// (<see cref="ApiKeyRules"/>, <see cref="EnvironmentsApi.CreateCheckedAsync"/>): an admin manages its own environment's
/// product and admin keys; an owner every key and the environments. A new key is shown once.
/// </summary>
internal static class ConsoleKeyEndpoints
{
    public static RouteGroupBuilder MapConsoleKeys(this RouteGroupBuilder pages)
    {
        pages.MapGet("/api-keys", KeysPageAsync).WithName("consoleApiKeys").WithSummary("API keys page")
            .WithDescription("API keys (prefixes only) that this account may manage, with a form to create one.").WithProblemCodes(403, "forbidden");
        pages.MapPost("/api-keys", CreateKeyAsync).WithName("consoleCreateApiKey").WithSummary("Create an API key")
            .WithDescription("Creates an API key with the API's rules and shows its value once.").WithProblemCodes(400, "antiforgery_failed");
        pages.MapPost("/api-keys/{id}/revoke", RevokeKeyAsync).WithName("consoleRevokeApiKey").WithSummary("Revoke an API key")
            .WithDescription("Revokes an API key with the API's rules.").WithProblemCodes(400, "antiforgery_failed");
        pages.MapGet("/environments", EnvironmentsPageAsync).WithName("consoleEnvironments").WithSummary("Environments page")
            .WithDescription("Environments, and a form to create one (owners only, as in the API).").WithProblemCodes(403, "owner_role_required");
        pages.MapPost("/environments", CreateEnvironmentAsync).WithName("consoleCreateEnvironment").WithSummary("Create an environment")
            .WithDescription("Creates an environment with the API's rules (owners only).").WithProblemCodes(400, "antiforgery_failed");
        return pages;
    }

    private static Task<IResult> KeysPageAsync(HttpContext http, IAntiforgery antiforgery, ApiKeyService keys, EnvironmentService environments, CancellationToken ct)
        => RenderKeysAsync(http, antiforgery, keys, environments, null, null, null, ct);

    private static async Task<IResult> CreateKeyAsync(
        [FromForm] ApiKeyForm form, HttpContext http, IAntiforgery antiforgery, ApiKeyService keys, EnvironmentService environments, ConsoleAccounts accounts, CancellationToken ct)
    {
        var actor = ConsoleScope.Actor(http.User);
        var (row, key, problem) = await ApiKeyRules.CreateAsync(actor, form.Name, ConsoleEndpoints.Blank(form.Environment), ConsoleEndpoints.Blank(form.Role), keys, environments, ct);
        if (problem is not null)
        {
            var refusal = ConsoleProblems.Detail(problem);
            await accounts.RecordAsync(ConsoleScope.AuditActor(http.User), ConsoleActions.Refused, $"create API key: {refusal}", ConsoleEndpoints.RemoteAddress(http), ct);
            return await RenderKeysAsync(http, antiforgery, keys, environments, new ConsoleMessage($"No key was created: {refusal}", true), null, form, ct, problem.StatusCode);
        }

        await accounts.RecordAsync(ConsoleScope.AuditActor(http.User), ConsoleActions.ApiKeyCreated,
            $"key {row!.Id} '{row.Name}', role {row.Role}, environment {row.EnvironmentId}", ConsoleEndpoints.RemoteAddress(http), ct);
        var secret = new OneTimeSecretView("New API key", key!,
            $"Copy it now into your product's secret store: AdoBridge keeps only its hash and will not show it again. It belongs to environment '{row.EnvironmentId}' with role '{row.Role}'.");
        return await RenderKeysAsync(http, antiforgery, keys, environments, new ConsoleMessage($"API key '{row.Name}' created.", false), secret, null, ct);
    }

    private static async Task<IResult> RevokeKeyAsync(
        string id, HttpContext http, IAntiforgery antiforgery, ApiKeyService keys, EnvironmentService environments, ConsoleAccounts accounts, CancellationToken ct)
    {
        if (await ApiKeyRules.RevokeAsync(ConsoleScope.Actor(http.User), id, keys, ct) is { } problem)
        {
            var refusal = ConsoleProblems.Detail(problem);
            await accounts.RecordAsync(ConsoleScope.AuditActor(http.User), ConsoleActions.Refused, $"revoke API key {id}: {refusal}", ConsoleEndpoints.RemoteAddress(http), ct);
            return await RenderKeysAsync(http, antiforgery, keys, environments, new ConsoleMessage($"The key was not revoked: {refusal}", true), null, null, ct, problem.StatusCode);
        }

        await accounts.RecordAsync(ConsoleScope.AuditActor(http.User), ConsoleActions.ApiKeyRevoked, $"key {id}", ConsoleEndpoints.RemoteAddress(http), ct);
        return await RenderKeysAsync(http, antiforgery, keys, environments,
            new ConsoleMessage($"API key {ApiKeyFormat.DisplayPrefix(id)} revoked: it stops working at once here and within 10 seconds on other instances.", false), null, null, ct);
    }

    private static async Task<IResult> RenderKeysAsync(
        HttpContext http, IAntiforgery antiforgery, ApiKeyService keys, EnvironmentService environmentService, ConsoleMessage? message, OneTimeSecretView? secret,
        ApiKeyForm? form, CancellationToken ct, int status = StatusCodes.Status200OK)
    {
        var actor = ConsoleScope.Actor(http.User);
        var (scope, problem) = ApiKeyRules.ListScope(actor, null);
        if (problem is not null)
        {
            return ConsoleProblems.Page(http, antiforgery, "API keys", problem.StatusCode, ConsoleProblems.Detail(problem));
        }

        http.Response.Headers.CacheControl = "no-store";
        var rows = (await keys.ListAsync(scope, ct)).OrderByDescending(k => k.CreatedAt)
            .Select(k => new ApiKeyRowView(k.Id, ApiKeyFormat.DisplayPrefix(k.Id), k.Name, k.EnvironmentId, k.Role, ConsoleFormat.Time(k.CreatedAt), ConsoleFormat.Time(k.LastUsedAt),
                k.RevokedAt is { } revoked ? ConsoleFormat.Time(revoked) : null,
                k.RevokedAt is null && actor.MayManage(k.EnvironmentId) && (actor.IsOwner || k.Role != ApiKeyRoles.Owner)))
            .ToList();
        var environments = actor.IsOwner ? (await environmentService.ListAsync(ct)).Select(e => e.Id).ToList() : [actor.EnvironmentId!];
        string[] roles = actor.IsOwner ? [ApiKeyRoles.Product, ApiKeyRoles.Admin, ApiKeyRoles.Owner] : [ApiKeyRoles.Product, ApiKeyRoles.Admin];
        return new RazorComponentResult<ApiKeysPage>(new
        {
            Frame = ConsoleEndpoints.Frame(http, antiforgery, signedIn: true),
            Keys = rows,
            Form = new ApiKeyFormView(form?.Name, form?.Environment, form?.Role, environments, roles),
            Message = message,
            Secret = secret,
        })
        {
            StatusCode = status,
        };
    }

    private static Task<IResult> EnvironmentsPageAsync(HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, CancellationToken ct)
        => RenderEnvironmentsAsync(http, antiforgery, environments, null, null, ct);

    private static async Task<IResult> CreateEnvironmentAsync(
        [FromForm] EnvironmentForm form, HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, ConsoleAccounts accounts, CancellationToken ct)
    {
        if (!ConsoleScope.IsOwner(http.User))
        {
            await accounts.RecordAsync(ConsoleScope.AuditActor(http.User), ConsoleActions.Refused, "create environment: needs the role 'owner'", ConsoleEndpoints.RemoteAddress(http), ct);
            return OwnerOnly(http, antiforgery);
        }

        var (created, problem) = await EnvironmentsApi.CreateCheckedAsync(form.Id, form.Name, environments, ct);
        if (problem is not null)
        {
            return await RenderEnvironmentsAsync(http, antiforgery, environments, new ConsoleMessage($"No environment was created: {ConsoleProblems.Detail(problem)}", true), form, ct, problem.StatusCode);
        }

        await accounts.RecordAsync(ConsoleScope.AuditActor(http.User), ConsoleActions.EnvironmentCreated, $"environment {created!.Id} '{created.Name}'", ConsoleEndpoints.RemoteAddress(http), ct);
        return await RenderEnvironmentsAsync(http, antiforgery, environments,
            new ConsoleMessage($"Environment '{created.Id}' created. Create an API key for it on the API keys page; its connections are kept apart from every other environment's.", false), null, ct);
    }

    private static async Task<IResult> RenderEnvironmentsAsync(
        HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, ConsoleMessage? message, EnvironmentForm? form, CancellationToken ct, int status = StatusCodes.Status200OK)
    {
        // The API keeps environments to owners (GET and POST /v1/admin/environments need role owner); so does the console.
        if (!ConsoleScope.IsOwner(http.User))
        {
            return OwnerOnly(http, antiforgery);
        }

        var rows = (await environments.ListAsync(ct)).Select(e => new EnvironmentRowView(e.Id, e.Name, ConsoleFormat.Time(e.CreatedAt))).ToList();
        return new RazorComponentResult<EnvironmentsPage>(new
        {
            Frame = ConsoleEndpoints.Frame(http, antiforgery, signedIn: true),
            Environments = rows,
            Message = message,
            FormId = form?.Id,
            FormName = form?.Name,
        })
        {
            StatusCode = status,
        };
    }

    private static RazorComponentResult<MessagePage> OwnerOnly(HttpContext http, IAntiforgery antiforgery)
        => ConsoleProblems.Page(http, antiforgery, "Environments", StatusCodes.Status403Forbidden,
            $"Environments are managed by owners only, as in the API (/v1/admin/environments needs the role 'owner'). This account is an admin of environment '{http.User.ConsoleEnvironment()}'.");
}
