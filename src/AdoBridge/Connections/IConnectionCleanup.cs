using AdoBridge.Storage;

namespace AdoBridge.Connections;

/// <summary>Something another capability keeps per connection and removes before the connection (and its credentials) go.</summary>
internal interface IConnectionCleanup
{
    Task CleanUpAsync(ConnectionEntity connection, CancellationToken ct);
}
