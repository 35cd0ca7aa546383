using System.Collections.Concurrent;

namespace AdoBridge.Hosting;

/// <summary>
/// When each long-running background loop last went round. A loop records a beat at the top of every iteration; readiness
/// reports a loop whose last beat is too old (stuck on a lock, a hung call, a crashed task) by name.
/// </summary>
internal sealed class WorkerHeartbeats(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> beats = new(StringComparer.Ordinal);

    /// <summary>When this process began counting: a loop that has never beaten is measured from here, so it gets time to start.</summary>
    public DateTimeOffset Started { get; } = clock.GetUtcNow();

    public void Beat(string worker) => beats[worker] = clock.GetUtcNow();

    public DateTimeOffset? LastBeat(string worker) => beats.TryGetValue(worker, out var at) ? at : null;
}
