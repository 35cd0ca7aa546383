using System.Security.Claims;
using AdoBridge.ApiKeys;
using AdoBridge.Connections;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.AdminConsole;

/// <summary>
/// What a console account may reach, in the API's terms: an owner acts on every environment, an admin on its own. The
/// rules themselves live with the services (<see cref="ApiKeyRules"/> and the APIs' shared handlers); this only says who asks.
/// </summary>
internal static class ConsoleScope
{
    public const string Kind = "console account";

    public static ApiKeyActor Actor(ClaimsPrincipal user) => new(user.ConsoleRole(), user.ConsoleEnvironment(), null, Kind);

    /// <summary>The name the console audit records for this account.</summary>
    public static string AuditActor(ClaimsPrincipal user) => ConsoleAccounts.Normalize(user.UserName());

    /// <summary>The name the connection's own audit records for an action taken in the console.</summary>
    public static string ConnectionActor(ClaimsPrincipal user) => "console:" + AuditActor(user);

    public static bool IsOwner(ClaimsPrincipal user) => user.ConsoleRole() == ApiKeyRoles.Owner;

    /// <summary>
    /// The connection, if this account may see it: an admin looks in its own environment only; an owner in the one the
    /// connection belongs to (ids are unique across environments).
    /// </summary>
    public static async Task<ConnectionEntity?> FindConnectionAsync(
        ClaimsPrincipal user, string id, ConnectionService connections, IDbContextFactory<AdoBridgeDbContext> contexts, CancellationToken ct)
    {
        var environment = user.ConsoleEnvironment();
        if (environment is null)
        {
            if (!IsOwner(user))
            {
                return null;
            }

            await using var db = await contexts.CreateDbContextAsync(ct);
            environment = await db.Connections.AsNoTracking().Where(c => c.Id == id).Select(c => c.EnvironmentId).FirstOrDefaultAsync(ct);
            if (environment is null)
            {
                return null;
            }
        }

        return await connections.FindAsync(environment, id, ct);
    }
}
