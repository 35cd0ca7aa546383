using System.Collections.Concurrent;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.ApiKeys;

/// <summary>
/// Keeps each key's `lastUsedAt`: written at most once a minute per key (per instance), in the background, so a call never
/// waits for the database and a busy key costs one small write a minute.
/// </summary>
internal sealed partial class ApiKeyUsage(IDbContextFactory<AdoBridgeDbContext> contexts, TimeProvider clock, ILogger<ApiKeyUsage> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, long> writtenAt = new(StringComparer.Ordinal);

    /// <summary>Notes a successful use of the key; starts a background write when its last one is a minute old.</summary>
    public void Used(string keyId)
    {
        var now = clock.GetUtcNow();
        if (ShouldWrite(keyId, now))
        {
            _ = Task.Run(() => WriteAsync(keyId, now), CancellationToken.None);
        }
    }

    /// <summary>Whether this use is the one that writes: the first, then the first after each <see cref="Interval"/>.</summary>
    internal bool ShouldWrite(string keyId, DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        while (true)
        {
            if (!writtenAt.TryGetValue(keyId, out var last))
            {
                if (writtenAt.Count > 10_000)
                {
                    // Keys are few; this only bounds the map if something goes wrong.
                    writtenAt.Clear();
                }

                if (writtenAt.TryAdd(keyId, ticks))
                {
                    return true;
                }

                continue;
            }

            if (ticks - last < Interval.Ticks)
            {
                return false;
            }

            // One caller wins the minute; the others see the new value and stop.
            if (writtenAt.TryUpdate(keyId, ticks, last))
            {
                return true;
            }
        }
    }

    private async Task WriteAsync(string keyId, DateTimeOffset now)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync();
            await db.ApiKeys.Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < now))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Only a statistic: the next minute's use writes it again.
            writtenAt.TryRemove(keyId, out _);
            LogWriteFailed(logger, keyId, e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Could not record the last use of API key {KeyId} ({Error}); it is tried again on its next use")]
    private static partial void LogWriteFailed(ILogger logger, string keyId, string error);
}
