using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.Streaming;

/// <summary>Counts the open streams of each API key in this instance, so one key cannot hold the server's connections.</summary>
internal sealed class EventStreamLimiter(IOptionsMonitor<EventStreamOptions> options)
{
    private readonly ConcurrentDictionary<string, int> open = new(StringComparer.Ordinal);

    /// <summary>A lease to dispose when the stream ends, or null when the key holds its maximum already.</summary>
    public IDisposable? TryAcquire(string keyId)
    {
        var max = options.CurrentValue.MaxStreamsPerKey;
        while (true)
        {
            var count = open.GetOrAdd(keyId, 0);
            if (count >= max)
            {
                return null;
            }

            if (open.TryUpdate(keyId, count + 1, count))
            {
                return new Lease(this, keyId);
            }
        }
    }

    public int OpenStreams(string keyId) => open.TryGetValue(keyId, out var count) ? count : 0;

    private void Release(string keyId)
    {
        while (true)
        {
            var count = open.GetValueOrDefault(keyId);
            if (count <= 1 ? open.TryRemove(new KeyValuePair<string, int>(keyId, count)) : open.TryUpdate(keyId, count - 1, count))
            {
                return;
            }
        }
    }

    private sealed class Lease(EventStreamLimiter owner, string keyId) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                owner.Release(keyId);
            }
        }
    }
}
