using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AdoBridge.Hosting;

/// <summary>
/// Unhealthy when <paramref name="worker"/> has not gone round its loop within three of its intervals plus 30 seconds
/// (generous, so a slow pass under load is not called a stall). A disabled worker is not required.
/// </summary>
internal sealed class WorkerHealthCheck(string worker, Func<IServiceProvider, TimeSpan?> interval, IServiceProvider services, WorkerHeartbeats heartbeats, StartupGate gate, TimeProvider clock)
    : IHealthCheck
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (interval(services) is not { } every)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"The {worker} is disabled."));
        }

        if (!gate.IsOpen)
        {
            // Workers wait for start-up before their first pass; the "startup" entry reports that wait.
            return Task.FromResult(HealthCheckResult.Healthy($"The {worker} waits for start-up."));
        }

        var bound = (every * 3) + Grace;
        var last = heartbeats.LastBeat(worker);
        var age = clock.GetUtcNow() - (last ?? heartbeats.Started);
        if (age <= bound)
        {
            return Task.FromResult(HealthCheckResult.Healthy());
        }

        var seconds = (long)age.TotalSeconds;
        var detail = last is null
            ? $"The {worker} has not started its loop {seconds} s after start-up (allowed {(long)bound.TotalSeconds} s). Check the logs for its errors; restart the instance if it stays stuck."
            : $"The {worker} last went round its loop {seconds} s ago (allowed {(long)bound.TotalSeconds} s). Check the logs for its errors and the database's locks; restart the instance if it stays stuck.";
        return Task.FromResult(HealthCheckResult.Unhealthy(detail, data: new Dictionary<string, object> { ["code"] = "worker_stalled" }));
    }
}
