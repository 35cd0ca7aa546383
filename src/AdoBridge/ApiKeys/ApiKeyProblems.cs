using AdoBridge.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.ApiKeys;

/// <summary>The 403 answers of role checks, shared by the authentication handler and the handlers that check an environment.</summary>
internal static class ApiKeyProblems
{
    public const string OwnerRoleRequired = "owner_role_required";
    public const string EnvironmentForbidden = "environment_forbidden";

    public static ProblemHttpResult OtherEnvironment(ApiKeyActor actor, string environmentId)
        => Problem.Create(StatusCodes.Status403Forbidden, EnvironmentForbidden, "Forbidden",
            $"This {actor.Kind} belongs to environment '{actor.EnvironmentId}' and manages only that one, not '{environmentId}'. Use an admin of '{environmentId}', or the role 'owner'.");

    public static ProblemHttpResult OwnerOnly(ApiKeyActor actor, string what)
        => Problem.Create(StatusCodes.Status403Forbidden, OwnerRoleRequired, "Forbidden",
            $"{what} needs the role 'owner'; this {actor.Kind} has role '{actor.Role}', which manages only its own environment's product and admin keys.");
}
