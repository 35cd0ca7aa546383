using AdoBridge.Hosting;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using AdoBridge.Problems;
using AdoBridge.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Environments;

internal static class EnvironmentsApi
{
    public static RouteGroupBuilder MapEnvironmentsApi(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/environments").WithTags("Environments").RequireAuthorization(ApiKeys.ApiKeysServiceCollectionExtensions.OwnerPolicy);
        group.MapGet("/", ListAsync).WithName("listEnvironments").WithSummary("List environments")
            .WithDescription("List environments.");
        group.MapPost("/", CreateAsync).WithName("createEnvironment").WithRequestExample("""{"id": "staging", "name": "Staging"}""").WithProblemCodes(400, "invalid_environment").WithProblemCodes(409, "environment_exists").WithSummary("Create an environment")
            .WithDescription("Create an environment (its own connections, isolated from the others).");
        return admin;
    }

    internal sealed record EnvironmentView(string Id, string Name, DateTimeOffset CreatedAt);

    internal sealed record EnvironmentList(IReadOnlyList<EnvironmentView> Items);

    internal sealed record CreateEnvironmentRequest(
        [property: Required, Description("A short id, e.g. `staging` (lowercase letters, digits and dashes).")] string? Id,
        [property: Description("A display name (at most 100 characters).")] string? Name);

    private static async Task<Ok<EnvironmentList>> ListAsync(EnvironmentService environments, CancellationToken ct)
        => TypedResults.Ok(new EnvironmentList((await environments.ListAsync(ct)).Select(e => new EnvironmentView(e.Id, e.Name, e.CreatedAt)).ToList()));

    private static async Task<Results<Created<EnvironmentView>, ProblemHttpResult>> CreateAsync(CreateEnvironmentRequest request, EnvironmentService environments, CancellationToken ct)
    {
        var (created, problem) = await CreateCheckedAsync(request.Id, request.Name, environments, ct);
        return problem ?? (Results<Created<EnvironmentView>, ProblemHttpResult>)TypedResults.Created($"/v1/admin/environments/{created!.Id}", new EnvironmentView(created.Id, created.Name, created.CreatedAt));
    }

    /// <summary>Checks and creates an environment: the API's rules, also for the console's environments page.</summary>
    internal static async Task<(EnvironmentEntity? Created, ProblemHttpResult? Problem)> CreateCheckedAsync(string? requestedId, string? requestedName, EnvironmentService environments, CancellationToken ct)
    {
        var id = requestedId?.Trim() ?? string.Empty;
        if (!EnvironmentService.IsValidId(id))
        {
            return (null, Problem.BadRequest("invalid_environment", "`id` must start with a lowercase letter and hold only lowercase letters, digits and '-' (at most 40), e.g. \"staging\"."));
        }

        var name = string.IsNullOrWhiteSpace(requestedName) ? id : requestedName.Trim();
        if (name.Length > 100 || name.Any(char.IsControl))
        {
            return (null, Problem.BadRequest("invalid_environment", "`name` must be at most 100 characters with no control characters (line breaks, tabs, NUL), e.g. \"Staging\"."));
        }

        if (await environments.FindAsync(id, ct) is not null)
        {
            return (null, Problem.Conflict("environment_exists", $"Environment '{id}' already exists."));
        }

        return (await environments.EnsureAsync(id, name, ct), null);
    }
}
