using System.Collections.Concurrent;

namespace AdoBridge.Emulator;

/// <summary>What the emulator has been asked, so tests can assert on retries, refreshes and caching.</summary>
public sealed class EmulatorRequestCounts
{
    private readonly ConcurrentDictionary<string, int> _tokenByGrantType = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _tokenByClient = new(StringComparer.OrdinalIgnoreCase);
    private int _apiRequests;
    private int _tokenRequests;

    /// <summary>Requests to any Azure DevOps `_apis` route (including ones answered by an injected fault).</summary>
    public int ApiRequests => Volatile.Read(ref _apiRequests);

    /// <summary>Requests to the Entra and legacy token endpoints.</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>Token requests per `grant_type` value as sent (e.g. "authorization_code", "refresh_token").</summary>
    public IReadOnlyDictionary<string, int> TokenRequestsByGrantType => new Dictionary<string, int>(_tokenByGrantType);

    /// <summary>Token requests per client id (Entra) or app id (legacy, when known).</summary>
    public IReadOnlyDictionary<string, int> TokenRequestsByClient => new Dictionary<string, int>(_tokenByClient);

    public int TokenRequestsFor(string grantType) => _tokenByGrantType.GetValueOrDefault(grantType);

    public int TokenRequestsForClient(string clientId) => _tokenByClient.GetValueOrDefault(clientId);

    public void Reset()
    {
        _tokenByGrantType.Clear();
        _tokenByClient.Clear();
        Interlocked.Exchange(ref _apiRequests, 0);
        Interlocked.Exchange(ref _tokenRequests, 0);
    }

    internal void CountToken(string? grantType, string? clientId)
    {
        Interlocked.Increment(ref _tokenRequests);
        _tokenByGrantType.AddOrUpdate(string.IsNullOrEmpty(grantType) ? "(none)" : grantType, 1, (_, n) => n + 1);
        if (!string.IsNullOrEmpty(clientId))
        {
            _tokenByClient.AddOrUpdate(clientId, 1, (_, n) => n + 1);
        }
    }

    internal void CountApi() => Interlocked.Increment(ref _apiRequests);
}
