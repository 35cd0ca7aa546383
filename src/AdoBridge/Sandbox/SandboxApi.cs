using AdoBridge.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Sandbox;

internal static class SandboxApi
{
    public static RouteGroupBuilder MapSandboxApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/sandbox", Get).WithTags("Sandbox")
            .WithName("getSandbox").WithProblemCodes(404, "sandbox_disabled").WithProblemCodes(503, "starting").WithSummary("Get sandbox details")
            .WithDescription("Sandbox details for scripts and tests: the emulated organisation URL, seeded users, a PAT, the emulator's admin token.");
        return v1;
    }

    private static Results<Ok<SandboxDetails>, ProblemHttpResult> Get(SandboxSetup sandbox, SandboxMode mode)
        => sandbox.Details is { } details
            ? TypedResults.Ok(details)
            : mode.Enabled
                ? Problem.Create(StatusCodes.Status503ServiceUnavailable, "starting", "Not ready", "Sandbox mode is on and still being wired up; try again in a moment.")
                : Problem.NotFound("sandbox_disabled", "Sandbox mode is off: an Azure app is configured (or AdoBridge:Sandbox=off). Start without apps, or with AdoBridge__Sandbox=on, to use the emulator.");
}
