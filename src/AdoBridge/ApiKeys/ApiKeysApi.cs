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
        var (scope, problem) = ApiKeyRules.ListScope(ApiKeyActor.FromApiKey(user), environment);
        return problem ?? (Results<Ok<ApiKeyList>, ProblemHttpResult>)TypedResults.Ok(new ApiKeyList((await keys.ListAsync(scope, ct)).Select(ApiKeyView.From).ToList()));
    }

    private static async Task<Results<Created<CreatedApiKey>, ProblemHttpResult>> CreateAsync(
        CreateApiKeyRequest request, ApiKeyService keys, EnvironmentService environments, ClaimsPrincipal user, CancellationToken ct)
    {
        var (row, key, problem) = await ApiKeyRules.CreateAsync(ApiKeyActor.FromApiKey(user), request.Name, request.Environment, request.Role, keys, environments, ct);
        return problem ?? (Results<Created<CreatedApiKey>, ProblemHttpResult>)TypedResults.Created($"/v1/admin/api-keys/{row!.Id}", new CreatedApiKey(row.Id, key!, row.Name, row.EnvironmentId, row.Role, row.CreatedAt));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, ApiKeyService keys, ClaimsPrincipal user, CancellationToken ct)
        => await ApiKeyRules.RevokeAsync(ApiKeyActor.FromApiKey(user), id, keys, ct) is { } problem ? problem : TypedResults.NoContent();
}
