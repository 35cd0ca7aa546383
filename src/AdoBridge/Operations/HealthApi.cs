using AdoBridge.Operations.Health;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AdoBridge.Operations;

internal static class HealthApi
{
    /// <summary>
    /// Unauthenticated probes for load balancers and orchestrators; they reveal nothing but liveness, schema state and which
    /// check fails. Both run the platform's <see cref="HealthCheckService"/> (liveness none of its checks, readiness those
    /// tagged <see cref="HealthServiceCollectionExtensions.ReadyTag"/>). They are route handlers rather than MapHealthChecks
    /// endpoints because only route handlers appear in the OpenAPI document, which the conformance tests hold to.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => TypedResults.Ok(new HealthView("alive", null, null))).WithTags("Health").AllowAnonymous().DisableRateLimiting()
            .WithName("getHealth").WithSummary("Is the process alive");
        endpoints.MapGet("/readyz", ReadyAsync).WithTags("Health").AllowAnonymous().DisableRateLimiting()
            .WithName("getReadiness").WithSummary("Is the server ready to serve")
            .WithProblemCodes(StatusCodes.Status503ServiceUnavailable, "starting", "database_unreachable", "schema_not_current", "worker_stalled");
        return endpoints;
    }

    internal sealed record HealthView(string Status, int? SchemaVersion, int? LatestSchemaVersion);

    /// <summary>One failing readiness check: its name ("database", "schema", "webhook-dispatcher"...), its code and why.</summary>
    internal sealed record FailedCheck(string Name, string Code, string Detail);

    private static async Task<Results<Ok<HealthView>, ProblemHttpResult>> ReadyAsync(HealthCheckService health, CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(c => c.Tags.Contains(HealthServiceCollectionExtensions.ReadyTag), ct);
        if (report.Status == HealthStatus.Healthy)
        {
            var schema = report.Entries["schema"].Data;
            return TypedResults.Ok(new HealthView("ready", schema["schemaVersion"] as int?, schema["latestSchemaVersion"] as int?));
        }

        return Write(report);
    }

    /// <summary>
    /// The 503: the first failing check (in registration order: start-up, database, schema, workers) gives the `code` and
    /// `detail`, so an existing probe keeps seeing the code it knew; `checks` lists every failing check.
    /// </summary>
    private static ProblemHttpResult Write(HealthReport report)
    {
        var failed = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy)
            .Select(e => new FailedCheck(e.Key,
                e.Value.Data.TryGetValue("code", out var code) && code is string c ? c : "check_failed",
                e.Value.Exception is { } ex ? $"The check failed ({ex.GetType().Name})." : e.Value.Description ?? "The check failed."))
            .ToList();
        var first = failed[0];
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal) { ["checks"] = failed };
        if (report.Entries.TryGetValue("schema", out var schema) && schema.Data.TryGetValue("pending", out var pending))
        {
            extensions["pending"] = pending;
        }

        var detail = failed.Count == 1 ? first.Detail : $"{first.Detail} ({failed.Count - 1} more failing check{(failed.Count == 2 ? "" : "s")}: {string.Join(", ", failed.Skip(1).Select(f => f.Name))}.)";
        return Problem.Create(StatusCodes.Status503ServiceUnavailable, first.Code, "Not ready", detail, extensions);
    }
}
