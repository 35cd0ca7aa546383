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
        v1.MapPost("/sandbox/trigger", TriggerAsync).WithTags("Sandbox")
            .WithName("triggerSandboxEvent").WithRequestExample("""{"event": "pull_request.created"}""")
            .WithProblemCodes(400, "invalid_trigger").WithProblemCodes(403, "sandbox_environment_only").WithProblemCodes(404, "sandbox_disabled", "connection_not_found", "project_not_found")
            .WithProblemCodes(502, "emulator_refused").WithProblemCodes(503, "starting").WithSummary("Make the emulator fire an event")
            .WithDescription("Sandbox mode, sandbox keys only. Makes the bundled emulator do the real thing for `event` (pull_request.created|updated|merged|commented, git.push, " +
                "work_item.created|updated|commented|deleted) through its REST API: a branch, a commit and a pull request; a work item; a comment… so the whole chain runs " +
                "(service hook, ingest, event, delivery, event stream). Without `connection` it uses a sandbox connection of the environment (making a PAT connection with the " +
                "sandbox PAT if there is none); it subscribes that connection's project to the event first if no active subscription covers it. Answers once the emulator " +
                "delivered the service hook (up to 10 s), with what it did, `azureDevOpsEventId` and AdoBridge's `eventId` (null if the hook had not arrived yet).");
        return v1;
    }

    private static async Task<Results<Ok<TriggerResult>, ProblemHttpResult>> TriggerAsync(
        TriggerRequest request, SandboxTrigger trigger, SandboxMode mode, SandboxSetup sandbox, ClaimsPrincipal user, CancellationToken ct)
    {
        if (Refusal(mode, user) is { } refused)
        {
            return refused;
        }

        return sandbox.Details is { } details
            ? await trigger.RunAsync(user.EnvironmentId(), request, details, ct)
            : Starting();
    }

    private static Results<Ok<SandboxDetails>, ProblemHttpResult> Get(SandboxSetup sandbox, SandboxMode mode, ClaimsPrincipal user)
    {
        if (Refusal(mode, user) is { } refused)
        {
            return refused;
        }

        return sandbox.Details is { } details ? TypedResults.Ok(details) : Starting();
    }

    private static ProblemHttpResult Starting()
        => Problem.Create(StatusCodes.Status503ServiceUnavailable, "starting", "Not ready", "Sandbox mode is on and still being wired up; try again in a moment.");

    private static ProblemHttpResult? Refusal(SandboxMode mode, ClaimsPrincipal user)
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

        return null;
    }
}
