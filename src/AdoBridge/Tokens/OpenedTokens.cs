using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using AdoBridge.AzureDevOps;

namespace AdoBridge.Tokens;

/// <summary>
/// Access tokens already decrypted, per connection, so the proxy does not run AES-GCM on every request. Plaintext stays
/// in this process's memory only. An entry is used only for the exact sealed value it was opened from, so a renewed,
/// reconnected or replaced token is opened afresh even before the entry is dropped; the vault drops entries when a
/// connection's token or status changes, and the connection service when a connection is deleted.
/// </summary>
internal sealed class OpenedTokens
{
    // Bounds memory when many connections are used briefly; refilling costs one decryption each.
    private const int MaxEntries = 50_000;

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>The token opened earlier from exactly <paramref name="sealedValue"/> at <paramref name="version"/>, if there is one.</summary>
    public bool TryGet(string connectionId, string sealedValue, int version, [NotNullWhen(true)] out AccessToken? token)
    {
        token = entries.TryGetValue(connectionId, out var entry) && entry.Version == version && string.Equals(entry.SealedValue, sealedValue, StringComparison.Ordinal)
            ? entry.Token
            : null;
        return token is not null;
    }

    public void Remember(string connectionId, string sealedValue, AccessToken token)
    {
        if (entries.Count >= MaxEntries)
        {
            entries.Clear();
        }

        entries[connectionId] = new Entry(sealedValue, token.Version, token);
    }

    public void Forget(string connectionId) => entries.TryRemove(connectionId, out _);

    private sealed record Entry(string SealedValue, int Version, AccessToken Token)
    {
        public override string ToString() => $"opened token of version {Version}";
    }
}
