using System.Data.Common;

namespace AdoBridge.Storage;

/// <summary>
/// The failures of a database that is unreachable, busy or restarting (the driver's, EF Core's on a broken connection, a
/// command timeout): a background loop logs them and tries again on its next pass instead of stopping.
/// </summary>
internal static class StoreFailure
{
    public static bool Is(Exception error) => error is DbException or InvalidOperationException or TimeoutException;
}
