using System.Security.Claims;
using AdoBridge.Environments;
using AdoBridge.Problems;
using AdoBridge.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.ApiKeys;

/// <summary>
/// Who manages keys: an API key (the admin API) or a console account (the console). Both hold one of the API's roles;
/// an owner acts on every environment, an admin on its own.
/// </summary>
/// <param name="Role">owner, admin or product.</param>
/// <param name="EnvironmentId">The environment an admin is held to; for an owner, the environment a request defaults to (may be null in the console).</param>
/// <param name="KeyId">The calling key's id (null for a console account), so a key cannot revoke itself.</param>
/// <param name="Kind">How refusals name the caller: "admin key" or "console account".</param>
internal sealed record ApiKeyActor(string Role, string? EnvironmentId, string? KeyId, string Kind)
{
    public bool IsOwner => Role == ApiKeyRoles.Owner;

    public bool MayManage(string environmentId) => IsOwner || EnvironmentId == environmentId;

    public static ApiKeyActor FromApiKey(ClaimsPrincipal user)
        => new(user.Role(), user.EnvironmentId(), user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim), "admin key");
}

/// <summary>
/// The rules for listing, creating and revoking API keys, shared by the admin API and the console so there is one copy:
/// an admin manages product and admin keys of its own environment; only an owner creates or revokes owner keys or
/// touches other environments.
/// </summary>
internal static class ApiKeyRules
{
    /// <summary>The environment whose keys the actor may list (null: every environment), or the refusal.</summary>
    public static (string? Environment, ProblemHttpResult? Problem) ListScope(ApiKeyActor actor, string? environment)
    {
        if (actor.IsOwner)
        {
            return (environment, null);
        }

        if (actor.Role != ApiKeyRoles.Admin)
        {
            return (null, NotAdmin(actor));
        }

        return environment is not null && environment != actor.EnvironmentId ? (null, ApiKeyProblems.OtherEnvironment(actor, environment)) : (actor.EnvironmentId, null);
    }

    public static async Task<(ApiKeyEntity? Row, string? Key, ProblemHttpResult? Problem)> CreateAsync(
        ApiKeyActor actor, string? name, string? environment, string? role, ApiKeyService keys, EnvironmentService environments, CancellationToken ct)
    {
        if (!actor.IsOwner && actor.Role != ApiKeyRoles.Admin)
        {
            return (null, null, NotAdmin(actor));
        }

        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100 || name.Any(char.IsControl))
        {
            return (null, null, Problem.BadRequest("invalid_api_key_request", "`name` is required (1 to 100 characters on one line, no control characters): say what the key is for, e.g. \"review-bot production\"."));
        }

        role = role?.Trim().ToLowerInvariant() ?? ApiKeyRoles.Product;
        if (!ApiKeyRoles.IsValid(role))
        {
            return (null, null, Problem.BadRequest("invalid_api_key_request",
                $"`role` must be '{ApiKeyRoles.Product}' (the product back end), '{ApiKeyRoles.Admin}' (also its environment's API keys) or '{ApiKeyRoles.Owner}' (everything, every environment)."));
        }

        if (role == ApiKeyRoles.Owner && !actor.IsOwner)
        {
            return (null, null, ApiKeyProblems.OwnerOnly(actor, "Creating a key with role 'owner'"));
        }

        var target = environment?.Trim() ?? actor.EnvironmentId;
        if (string.IsNullOrEmpty(target))
        {
            return (null, null, Problem.BadRequest("invalid_api_key_request", "`environment` is required: the environment the key belongs to, e.g. \"production\"."));
        }

        if (!actor.MayManage(target))
        {
            return (null, null, ApiKeyProblems.OtherEnvironment(actor, target));
        }

        if (await environments.FindAsync(target, ct) is null)
        {
            return (null, null, Problem.BadRequest("environment_not_found", $"There is no environment '{target}'. List them with GET /v1/admin/environments or create it with POST /v1/admin/environments."));
        }

        var (row, key) = await keys.CreateAsync(target, name, role, ct: ct);
        return (row, key, null);
    }

    /// <summary>Revokes a key; null when done, else the refusal.</summary>
    public static async Task<ProblemHttpResult?> RevokeAsync(ApiKeyActor actor, string id, ApiKeyService keys, CancellationToken ct)
    {
        if (!actor.IsOwner && actor.Role != ApiKeyRoles.Admin)
        {
            return NotAdmin(actor);
        }

        if (actor.KeyId is not null && id == actor.KeyId)
        {
            return Problem.Conflict("cannot_revoke_own_key", "A key cannot revoke itself: create another admin key first, then revoke this one with it.");
        }

        var target = await keys.FindAsync(id, ct);
        if (target is null)
        {
            return NotFound(id);
        }

        if (!actor.MayManage(target.EnvironmentId))
        {
            return ApiKeyProblems.OtherEnvironment(actor, target.EnvironmentId);
        }

        if (target.Role == ApiKeyRoles.Owner && !actor.IsOwner)
        {
            return ApiKeyProblems.OwnerOnly(actor, "Revoking a key with role 'owner'");
        }

        return await keys.RevokeAsync(id, ct) ? null : NotFound(id);
    }

    private static ProblemHttpResult NotFound(string id) => Problem.NotFound("api_key_not_found", $"There is no API key with id '{id}'.");

    private static ProblemHttpResult NotAdmin(ApiKeyActor actor)
        => Problem.Create(StatusCodes.Status403Forbidden, "forbidden", "Forbidden",
            $"Managing API keys needs the role 'admin' (its own environment) or 'owner' (everything); this {actor.Kind} has role '{actor.Role}'.");
}
