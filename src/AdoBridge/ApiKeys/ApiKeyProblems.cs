using System.Security.Claims;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.ApiKeys;

/// <summary>The 403 answers of role checks, shared by the authentication handler and the handlers that check an environment.</summary>
internal static class ApiKeyProblems
{
    public const string OwnerRoleRequired = "owner_role_required";
    public const string EnvironmentForbidden = "environment_forbidden";

    public static ProblemHttpResult OtherEnvironment(ClaimsPrincipal user, string environmentId)
        => Problem.Create(StatusCodes.Status403Forbidden, EnvironmentForbidden, "Forbidden",
            $"This admin key belongs to environment '{user.EnvironmentId()}' and manages only that one, not '{environmentId}'. Use an admin key of '{environmentId}', or a key with role 'owner'.");

    public static ProblemHttpResult OwnerOnly(string what)
        => Problem.Create(StatusCodes.Status403Forbidden, OwnerRoleRequired, "Forbidden",
            $"{what} needs a key with role 'owner'; an admin key manages only its own environment's product and admin keys.");
}
