using System.Security.Claims;
using AdoBridge.ApiKeys;
using AdoBridge.Environments;
using AdoBridge.Hosting;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Sandbox;

internal static class SandboxApi
{
    public static RouteGroupBuilder MapSandboxApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/sandbox", Get).WithTags("Sandbox")
            .WithName("getSandbox").WithProblemCodes(403, "sandbox_environment_only").WithProblemCodes(404, "sandbox_disabled").WithProblemCodes(503, "starting").WithSummary("Get sandbox details")
            .WithDescription("Sandbox details for scripts and tests (keys of the sandbox environment only): the emulated organisation URL, seeded users, a PAT, the emulator's admin token.");
        return v1;
    }

    private static Results<Ok<SandboxDetails>, ProblemHttpResult> Get(SandboxSetup sandbox, SandboxMode mode, ClaimsPrincipal user)
    {
        if (!mode.Enabled)
        {
            return Problem.NotFound("sandbox_disabled", "Sandbox mode is off: an Azure app is configured (or AdoBridge:Sandbox=off). Start without apps, or with AdoBridge__Sandbox=on, to use the emulator.");
        }

        // The answer holds the sandbox PAT and the emulator's admin token: keys of other environments have no business with them.
        if (user.EnvironmentId() != EnvironmentService.Sandbox)
        {
            return Problem.Create(StatusCodes.Status403Forbidden, "sandbox_environment_only", "Forbidden",
                $"Sandbox details are only for keys of the '{EnvironmentService.Sandbox}' environment; this key belongs to '{user.EnvironmentId()}'. Use a sandbox key (the start-up banner's key in sandbox mode).");
        }

        return sandbox.Details is { } details
            ? TypedResults.Ok(details)
            : Problem.Create(StatusCodes.Status503ServiceUnavailable, "starting", "Not ready", "Sandbox mode is on and still being wired up; try again in a moment.");
    }
}
