using AdoBridge.Problems;
using AdoBridge.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Operations;

internal static class HealthApi
{
    /// <summary>Unauthenticated probes for load balancers and orchestrators; they reveal nothing but liveness and schema state.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => TypedResults.Ok(new HealthView("alive", null, null))).WithTags("Health").AllowAnonymous().WithName("getHealth").WithSummary("Is the process alive");
        endpoints.MapGet("/readyz", ReadyAsync).WithTags("Health").AllowAnonymous().WithName("getReadiness").WithSummary("Is the server ready to serve");
        return endpoints;
    }

    internal sealed record HealthView(string Status, int? SchemaVersion, int? LatestSchemaVersion);

    private static async Task<Results<Ok<HealthView>, ProblemHttpResult>> ReadyAsync(SchemaMigrator migrator, StartupGate gate, ILoggerFactory loggers, CancellationToken ct)
    {
        if (!gate.IsOpen)
        {
            return Problem.Create(StatusCodes.Status503ServiceUnavailable, "starting", "Not ready", "AdoBridge is still starting (sandbox wiring, app checks). Try again in a moment.");
        }

        SchemaStatus status;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            status = await migrator.GetStatusAsync(timeout.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            loggers.CreateLogger("AdoBridge.Health").LogWarning("Readiness check could not reach the database: {ExceptionType}", e.GetType().Name);
            return Problem.Create(StatusCodes.Status503ServiceUnavailable, "database_unreachable", "Not ready", "The database cannot be reached. Check Storage:ConnectionString and that the database server is running.");
        }

        return status.IsCurrent
            ? TypedResults.Ok(new HealthView("ready", status.CurrentVersion, status.LatestVersion))
            : Problem.Create(StatusCodes.Status503ServiceUnavailable, "schema_not_current", "Not ready",
                $"The database schema is at version {status.CurrentVersion} of {status.LatestVersion}. Run `AdoBridge migrate` or start with Storage:MigrateOnStartup=true.",
                new Dictionary<string, object?> { ["pending"] = status.Pending });
    }
}
