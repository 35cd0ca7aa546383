namespace AdoBridge.Connections;

/// <summary>
/// Deleting a connection, the one way both front doors (the API and the console) do it: what lives in Azure DevOps on
/// the connection's behalf (service hooks) is removed first, while its credentials still work, then the connection.
/// </summary>
internal static class ConnectionRemoval
{
    /// <summary>False when the environment has no such connection.</summary>
    public static async Task<bool> DeleteAsync(
        ConnectionService connections, IEnumerable<IConnectionCleanup> cleanups, string environmentId, string id, string actor, CancellationToken ct)
    {
        var connection = await connections.FindAsync(environmentId, id, ct);
        if (connection is null)
        {
            return false;
        }

        foreach (var cleanup in cleanups)
        {
            await cleanup.CleanUpAsync(connection, ct);
        }

        return await connections.DeleteAsync(environmentId, id, actor, ct);
    }
}
