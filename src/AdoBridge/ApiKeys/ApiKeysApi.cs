using AdoBridge.Hosting;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using AdoBridge.Environments;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using AdoBridge.Storage;

namespace AdoBridge.ApiKeys;

internal static class ApiKeysApi
{
    public static RouteGroupBuilder MapApiKeysApi(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/api-keys").WithTags("API keys");
        group.MapGet("/", ListAsync).WithName("listApiKeys").WithSummary("List API keys")
            .WithDescription("List API keys (prefixes only; a key's value is shown once, when it is created). An admin key sees its own environment's keys.");
        group.MapPost("/", CreateAsync).WithName("createApiKey").WithRequestExample("""{"name": "review-bot production", "environment": "production", "role": "product"}""").WithProblemCodes(400, "invalid_api_key_request", "environment_not_found").WithSummary("Create an API key")
            .WithDescription("Create an API key bound to one environment. An admin key creates product and admin keys of its own environment; only an owner key creates owner keys or keys of other environments.");
        group.MapDelete("/{id}", RevokeAsync).WithName("revokeApiKey").WithProblemCodes(404, "api_key_not_found").WithProblemCodes(409, "cannot_revoke_own_key").WithSummary("Revoke an API key")
            .WithDescription("Revoke an API key; it stops working at once on this instance and within 10 seconds on others.");
        return admin;
    }

    internal sealed record ApiKeyView(string Id, string Prefix, string Name, string Environment, string Role, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
    {
        public static ApiKeyView From(ApiKeyEntity e) => new(e.Id, ApiKeyFormat.DisplayPrefix(e.Id), e.Name, e.EnvironmentId, e.Role, e.CreatedAt, e.LastUsedAt, e.RevokedAt);
    }

    internal sealed record CreatedApiKey(string Id, string Key, string Name, string Environment, string Role, DateTimeOffset CreatedAt);

    internal sealed record CreateApiKeyRequest(
        [property: Required, Description("What the key is for, e.g. \"review-bot production\" (1 to 100 characters).")] string? Name,
        [property: Description("The environment the key belongs to; default: the calling key's.")] string? Environment,
        [property: Description("`product` (default) or `admin`.")] string? Role);

    internal sealed record ApiKeyList(IReadOnlyList<ApiKeyView> Items);

    private static async Task<Results<Ok<ApiKeyList>, ProblemHttpResult>> ListAsync(ApiKeyService keys, string? environment, ClaimsPrincipal user, CancellationToken ct)
    {
        // An admin key sees its own environment's keys; only an owner lists them all.
        if (!user.IsOwner())
        {
            if (environment is not null && environment != user.EnvironmentId())
            {
                return ApiKeyProblems.OtherEnvironment(user, environment);
            }

            environment = user.EnvironmentId();
        }

        return TypedResults.Ok(new ApiKeyList((await keys.ListAsync(environment, ct)).Select(ApiKeyView.From).ToList()));
    }

    private static async Task<Results<Created<CreatedApiKey>, ProblemHttpResult>> CreateAsync(
        CreateApiKeyRequest request, ApiKeyService keys, EnvironmentService environments, ClaimsPrincipal user, CancellationToken ct)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100 || name.Any(char.IsControl))
        {
            return Problem.BadRequest("invalid_api_key_request", "`name` is required (1 to 100 characters on one line, no control characters): say what the key is for, e.g. \"review-bot production\".");
        }

        var role = request.Role?.Trim().ToLowerInvariant() ?? ApiKeyRoles.Product;
        if (!ApiKeyRoles.IsValid(role))
        {
            return Problem.BadRequest("invalid_api_key_request",
                $"`role` must be '{ApiKeyRoles.Product}' (the product back end), '{ApiKeyRoles.Admin}' (also its environment's API keys) or '{ApiKeyRoles.Owner}' (everything, every environment).");
        }

        if (role == ApiKeyRoles.Owner && !user.IsOwner())
        {
            return ApiKeyProblems.OwnerOnly("Creating a key with role 'owner'");
        }

        var environment = request.Environment?.Trim() ?? user.EnvironmentId();
        if (!user.MayManage(environment))
        {
            return ApiKeyProblems.OtherEnvironment(user, environment);
        }
        if (await environments.FindAsync(environment, ct) is null)
        {
            return Problem.BadRequest("environment_not_found", $"There is no environment '{environment}'. List them with GET /v1/admin/environments or create it with POST /v1/admin/environments.");
        }

        var (row, key) = await keys.CreateAsync(environment, name, role, ct: ct);
        return TypedResults.Created($"/v1/admin/api-keys/{row.Id}", new CreatedApiKey(row.Id, key, row.Name, row.EnvironmentId, row.Role, row.CreatedAt));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, ApiKeyService keys, ClaimsPrincipal user, CancellationToken ct)
    {
        if (id == user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim))
        {
            return Problem.Conflict("cannot_revoke_own_key", "A key cannot revoke itself: create another admin key first, then revoke this one with it.");
        }

        var target = await keys.FindAsync(id, ct);
        if (target is null)
        {
            return Problem.NotFound("api_key_not_found", $"There is no API key with id '{id}'.");
        }

        if (!user.MayManage(target.EnvironmentId))
        {
            return ApiKeyProblems.OtherEnvironment(user, target.EnvironmentId);
        }

        if (target.Role == ApiKeyRoles.Owner && !user.IsOwner())
        {
            return ApiKeyProblems.OwnerOnly("Revoking a key with role 'owner'");
        }

        return await keys.RevokeAsync(id, ct) ? TypedResults.NoContent() : Problem.NotFound("api_key_not_found", $"There is no API key with id '{id}'.");
    }
}
