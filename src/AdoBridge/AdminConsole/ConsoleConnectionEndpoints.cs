using AdoBridge.AdminConsole.Components;
using AdoBridge.Apps;
using AdoBridge.Connections;
using AdoBridge.ConnectSessions;
using AdoBridge.Hosting;
using AdoBridge.Problems;
using AdoBridge.RateLimiting;
using AdoBridge.Storage;
using AdoBridge.Webhooks.Subscriptions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.AdminConsole;

/// <summary>
/// A connection's console page and its actions: a reconnect link (made by the API's own connect-session handler, shown
/// once), check-and-repair of a subscription (<see cref="SubscriptionHealth"/>), and delete after a confirmation
/// (<see cref="ConnectionRemoval"/>, as the API deletes). Every action is recorded in the console audit.
/// </summary>
internal static class ConsoleConnectionEndpoints
{
    public static RouteGroupBuilder MapConsoleConnections(this RouteGroupBuilder pages)
    {
        pages.MapGet("/connections/{id}", PageAsync).WithName("consoleConnection").WithSummary("A connection's page")
            .WithDescription("A connection: organisations, token expiry and last refresh, subscriptions and their hooks' health, proxy counters and recent events.").WithProblemCodes(404, "connection_not_found");
        pages.MapPost("/connections/{id}/reconnect-link", ReconnectLinkAsync).WithName("consoleReconnectLink").WithSummary("Create a reconnect link")
            .WithDescription("Creates a connect link that reconnects this connection for its end user (keeping its id) and shows it once.").WithProblemCodes(400, "antiforgery_failed")
            .RequireRateLimiting(RateLimitingServiceCollectionExtensions.ConnectSessionsPolicy);
        pages.MapPost("/connections/{id}/subscriptions/{subscriptionId}/check", CheckAsync).WithName("consoleCheckSubscription").WithSummary("Check and repair a subscription")
            .WithDescription("Reads the subscription's hooks back from Azure DevOps now and repairs any that are disabled, on probation or gone.").WithProblemCodes(400, "antiforgery_failed");
        pages.MapGet("/connections/{id}/delete", ConfirmDeleteAsync).WithName("consoleConfirmDeleteConnection").WithSummary("Confirm deleting a connection")
            .WithDescription("Asks for confirmation before a connection is deleted.").WithProblemCodes(404, "connection_not_found");
        pages.MapPost("/connections/{id}/delete", DeleteAsync).WithName("consoleDeleteConnection").WithSummary("Delete a connection")
            .WithDescription("Deletes the connection, its stored secrets and its subscriptions (in Azure DevOps too), as the API does.").WithProblemCodes(400, "antiforgery_failed");
        return pages;
    }

    private static async Task<IResult> PageAsync(
        string id, HttpContext http, IAntiforgery antiforgery, ConnectionService connections, IDbContextFactory<AdoBridgeDbContext> contexts,
        ConsoleConnectionDetails details, CancellationToken ct)
    {
        var connection = await ConsoleScope.FindConnectionAsync(http.User, id, connections, contexts, ct);
        return connection is null ? NotFound(http, antiforgery, id) : await RenderAsync(http, antiforgery, details, connection, null, null, ct);
    }

    private static async Task<IResult> ReconnectLinkAsync(
        string id, HttpContext http, IAntiforgery antiforgery, ConnectionService connections, IDbContextFactory<AdoBridgeDbContext> contexts,
        ConsoleConnectionDetails details, ConnectSessionService sessions, AppRegistry apps, SandboxMode sandbox, ConsoleAccounts accounts, CancellationToken ct)
    {
        var connection = await ConsoleScope.FindConnectionAsync(http.User, id, connections, contexts, ct);
        if (connection is null)
        {
            return NotFound(http, antiforgery, id);
        }

        // The API's own handler: the same checks (end user, app, the connection in this environment) and the same link.
        var request = new ConnectSessionsApi.CreateConnectSessionRequest(connection.EndUserId, connection.EndUserDisplayName, null, null, connection.Id);
        var outcome = await ConnectSessionsApi.CreateLinkAsync(connection.EnvironmentId, request, sessions, apps, connections, sandbox, ct);
        if (outcome.Result is not Created<ConnectSessionsApi.ConnectSessionView> { Value: { } link })
        {
            var refusal = ConsoleProblems.Detail(outcome.Result);
            await accounts.RecordAsync(ConsoleScope.AuditActor(http.User), ConsoleActions.Refused, $"reconnect link for {id}: {refusal}", ConsoleEndpoints.RemoteAddress(http), ct);
            return await RenderAsync(http, antiforgery, details, connection, new ConsoleMessage($"No reconnect link was made: {refusal}", true), null, ct, StatusCodes.Status400BadRequest);
        }

        await accounts.RecordAsync(ConsoleScope.AuditActor(http.User), ConsoleActions.ReconnectLinkCreated,
            $"connection {id} ({connection.EnvironmentId}), connect session {link.Id}, expires {ConsoleFormat.Time(link.ExpiresAt)}", ConsoleEndpoints.RemoteAddress(http), ct);
        var secret = new OneTimeSecretView("Reconnect link", link.Url,
            $"Send it to {connection.EndUserDisplayName ?? connection.EndUserId}: it works once, until {ConsoleFormat.Time(link.ExpiresAt)}, and keeps the connection's id. It is not shown again.");
        return await RenderAsync(http, antiforgery, details, connection, new ConsoleMessage("Reconnect link created.", false), secret, ct);
    }

    private static async Task<IResult> CheckAsync(
        string id, string subscriptionId, HttpContext http, IAntiforgery antiforgery, ConnectionService connections, IDbContextFactory<AdoBridgeDbContext> contexts,
        ConsoleConnectionDetails details, SubscriptionHealth health, ConsoleAccounts accounts, CancellationToken ct)
    {
        var connection = await ConsoleScope.FindConnectionAsync(http.User, id, connections, contexts, ct);
        if (connection is null)
        {
            return NotFound(http, antiforgery, id);
        }

        var checkedView = await health.CheckAsync(connection, subscriptionId, ct);
        if (checkedView is null)
        {
            return await RenderAsync(http, antiforgery, details, connection,
                new ConsoleMessage($"Connection '{id}' has no subscription '{subscriptionId}'; the list below is current.", true), null, ct, StatusCodes.Status404NotFound);
        }

        var repairs = checkedView.Repairs is { Count: > 0 } r ? string.Join("; ", r) : "nothing needed repair";
        await accounts.RecordAsync(ConsoleScope.AuditActor(http.User), ConsoleActions.SubscriptionChecked,
            $"connection {id}, subscription {subscriptionId}: {checkedView.Status}; {repairs}", ConsoleEndpoints.RemoteAddress(http), ct);
        var text = $"Subscription {subscriptionId} checked: {checkedView.Status.Replace('_', ' ')}{(checkedView.StatusReason is { } why ? $" ({why})" : "")}; {repairs}.";
        return await RenderAsync(http, antiforgery, details, connection, new ConsoleMessage(text, checkedView.Status != "active"), null, ct);
    }

    private static async Task<IResult> ConfirmDeleteAsync(
        string id, HttpContext http, IAntiforgery antiforgery, ConnectionService connections, IDbContextFactory<AdoBridgeDbContext> contexts, CancellationToken ct)
    {
        var connection = await ConsoleScope.FindConnectionAsync(http.User, id, connections, contexts, ct);
        return connection is null
            ? NotFound(http, antiforgery, id)
            : new RazorComponentResult<ConfirmDeletePage>(new { Frame = ConsoleEndpoints.Frame(http, antiforgery, signedIn: true), Connection = ConsoleConnectionDetails.Describe(connection) });
    }

    private static async Task<IResult> DeleteAsync(
        string id, HttpContext http, IAntiforgery antiforgery, ConnectionService connections, IDbContextFactory<AdoBridgeDbContext> contexts,
        IEnumerable<IConnectionCleanup> cleanups, ConsoleAccounts accounts, CancellationToken ct)
    {
        var connection = await ConsoleScope.FindConnectionAsync(http.User, id, connections, contexts, ct);
        if (connection is null || !await ConnectionRemoval.DeleteAsync(connections, cleanups, connection.EnvironmentId, id, ConsoleScope.ConnectionActor(http.User), ct))
        {
            return NotFound(http, antiforgery, id);
        }

        await accounts.RecordAsync(ConsoleScope.AuditActor(http.User), ConsoleActions.ConnectionDeleted,
            $"connection {id} ({connection.EnvironmentId}), end user {connection.EndUserId}", ConsoleEndpoints.RemoteAddress(http), ct);
        return Results.Redirect("/console/connections?deleted=" + Uri.EscapeDataString(id));
    }

    private static async Task<IResult> RenderAsync(
        HttpContext http, IAntiforgery antiforgery, ConsoleConnectionDetails details, ConnectionEntity connection, ConsoleMessage? message, OneTimeSecretView? secret,
        CancellationToken ct, int status = StatusCodes.Status200OK)
    {
        // A page that may hold a one-time link is never cached, nor is any other: the next view must not show it again.
        http.Response.Headers.CacheControl = "no-store";
        return new RazorComponentResult<ConnectionDetailPage>(new
        {
            Frame = ConsoleEndpoints.Frame(http, antiforgery, signedIn: true),
            Connection = ConsoleConnectionDetails.Describe(connection),
            Subscriptions = await details.SubscriptionsAsync(connection, ct),
            Proxy = details.Proxy(connection.Id),
            Events = await details.EventsAsync(connection, ct),
            Message = message,
            Secret = secret,
        })
        {
            StatusCode = status,
        };
    }

    private static RazorComponentResult<MessagePage> NotFound(HttpContext http, IAntiforgery antiforgery, string id)
        => ConsoleProblems.Page(http, antiforgery, "Connection not found", StatusCodes.Status404NotFound,
            $"There is no connection '{id}' that this account may see. Find it on the connections page; an admin sees only its own environment's connections.");
}
