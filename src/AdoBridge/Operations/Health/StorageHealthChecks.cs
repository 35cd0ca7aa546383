using AdoBridge.Hosting;
using AdoBridge.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AdoBridge.Operations.Health;

/// <summary>Unhealthy until start-up (sandbox wiring, app checks) has finished.</summary>
internal sealed class StartupHealthCheck(StartupGate gate) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(gate.IsOpen
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("AdoBridge is still starting (sandbox wiring, app checks). Try again in a moment.", data: Code("starting")));

    internal static Dictionary<string, object> Code(string code) => new(StringComparer.Ordinal) { ["code"] = code };
}

/// <summary>The database answers (the "database" entry) or its schema is the one this build expects (the "schema" entry).</summary>
internal sealed partial class StorageHealthCheck(SchemaMigrator migrator, ILoggerFactory loggers, bool schema) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        SchemaStatus status;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            status = await migrator.GetStatusAsync(timeout.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (schema)
            {
                // The "database" entry already says why; the schema cannot be judged without it.
                return HealthCheckResult.Healthy("Not checked: the database cannot be reached.");
            }

            LogUnreachable(loggers.CreateLogger("AdoBridge.Health"), e.GetType().Name);
            return HealthCheckResult.Unhealthy("The database cannot be reached. Check Storage:ConnectionString and that the database server is running.",
                data: StartupHealthCheck.Code("database_unreachable"));
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["schemaVersion"] = status.CurrentVersion, ["latestSchemaVersion"] = status.LatestVersion };
        if (!schema || status.IsCurrent)
        {
            return HealthCheckResult.Healthy(data: data);
        }

        data["code"] = "schema_not_current";
        data["pending"] = status.Pending;
        return HealthCheckResult.Unhealthy(
            $"The database schema is at version {status.CurrentVersion} of {status.LatestVersion}. Run `adobridge migrate` or start with Storage:MigrateOnStartup=true.", data: data);
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "Readiness check could not reach the database: {ExceptionType}")]
    private static partial void LogUnreachable(ILogger logger, string exceptionType);
}
