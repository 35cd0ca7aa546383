using System.Security.Claims;
using AdoBridge.ApiKeys;
using AdoBridge.Apps;
using AdoBridge.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Connections;

internal static class MigrationApi
{
    public static RouteGroupBuilder MapMigrationApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/migration", ListAsync).WithTags("Connections")
            .WithName("getMigrationReport").WithSummary("List connections still on a legacy app")
            .WithDescription("Connections still on a legacy Azure DevOps OAuth app, in every environment (an admin key: its own). Reconnect each through an Entra app (connect session with reconnectConnectionId) to keep its id.");
        return admin;
    }

    internal sealed record MigrationItem(string ConnectionId, string Environment, string EndUserId, string? EndUserDisplayName, string App, string Status, IReadOnlyList<string> Organizations);

    internal sealed record MigrationReport(int Count, IReadOnlyList<string> EntraApps, IReadOnlyList<MigrationItem> Items);

    private static async Task<Ok<MigrationReport>> ListAsync(IDbContextFactory<AdoBridgeDbContext> contexts, AppRegistry apps, ClaimsPrincipal user, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var legacy = db.Connections.AsNoTracking().Where(c => c.AuthType == AuthTypes.Legacy);
        if (!user.IsOwner())
        {
            // An admin key manages its own environment only.
            var environment = user.EnvironmentId();
            legacy = legacy.Where(c => c.EnvironmentId == environment);
        }

        var rows = await legacy.OrderBy(c => c.Id).Take(10_000).ToListAsync(ct);
        var entra = (await apps.ListAsync(ct)).Where(a => a.IsValid && a.Type == AppTypes.Entra).Select(a => a.Name).ToList();
        return TypedResults.Ok(new MigrationReport(rows.Count, entra,
            rows.Select(c => new MigrationItem(c.Id, c.EnvironmentId, c.EndUserId, c.EndUserDisplayName, c.AppName, c.Status, ConnectionService.OrganizationsOf(c))).ToList()));
    }
}
