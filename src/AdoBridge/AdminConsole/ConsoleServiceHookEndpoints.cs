using AdoBridge.AdminConsole.Components;
using AdoBridge.Connections;
using AdoBridge.Environments;
using AdoBridge.Hosting;
using AdoBridge.Problems;
using AdoBridge.Webhooks.Subscriptions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.AdminConsole;

/// <summary>
/// The console's service-hook health: per subscription its last event, the state of its hooks, an alarm when it has gone
/// silent (<see cref="Webhooks.ServiceHookOptions.SilenceAlarmAfter"/>), and one-click repair through
/// <see cref="SubscriptionHealth"/>, which the periodic monitor and POST …/subscriptions/{id}/check use too.
/// </summary>
internal static class ConsoleServiceHookEndpoints
{
    public const string Repaired = "subscription.checked";
    private const int PageSize = 50;

    /// <summary>Maps every console page about delivery: webhook endpoints, the event log, bulk replay and service-hook health.</summary>
    public static IEndpointRouteBuilder MapConsoleDelivery(this IEndpointRouteBuilder app)
        => app.MapConsoleWebhooks().MapConsoleEvents().MapConsoleBulkReplay().MapConsoleServiceHooks();

    public static IEndpointRouteBuilder MapConsoleServiceHooks(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/console/service-hooks").ExcludeFromDescription().RequireAuthorization(ConsoleAuth.Policy).RequireConsoleAntiforgery();
        pages.MapGet("/", ListAsync).WithName("consoleServiceHooks").WithSummary("Service-hook health page")
            .WithDescription("Each subscription's last event, hook states and silence alarm, in keyset pages.").WithProblemCodes(400, "bad_request");
        pages.MapPost("/{id}/repair", RepairAsync).WithName("consoleRepairSubscription").WithSummary("Check and repair a subscription")
            .WithDescription("Reads the subscription's hooks back from Azure DevOps and recreates those on probation, disabled or gone.").WithProblemCodes(400, "antiforgery_failed");
        return app;
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, SubscriptionHealthReport report,
        string? environment, string? attention, string? cursor, CancellationToken ct)
    {
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, environment, ct);
        return await PageAsync(http, antiforgery, scope, report, attention is "1" or "true" or "on", ConsolePage.Blank(cursor), null, null, StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> RepairAsync(
        string id, HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, SubscriptionHealthReport report,
        SubscriptionHealth health, ConnectionService connections, ConsoleAccounts accounts, CancellationToken ct)
    {
        var form = await ConsolePage.FormAsync(http, ct);
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, ConsolePage.Field(form, "environment"), ct);
        var attention = ConsolePage.Field(form, "attention") is "1" or "true" or "on";
        var subscription = await report.FindAsync(scope.Environment, id, ct);
        var connection = subscription is null ? null : await connections.FindAsync(scope.Environment, subscription.ConnectionId, ct);
        if (subscription is null || connection is null)
        {
            return await PageAsync(http, antiforgery, scope, report, attention, null, null,
                $"There is no subscription '{(id.Length <= 64 ? id : id[..64] + "…")}' in environment '{scope.Environment}'.", StatusCodes.Status404NotFound, ct);
        }

        var checkedView = await health.CheckAsync(connection, id, ct);
        var outcome = checkedView?.Repairs is { Count: > 0 } repairs ? string.Join("; ", repairs) : "every hook is enabled, nothing to repair";
        await ConsolePage.AuditAsync(http, accounts, Repaired, $"{id} in {scope.Environment}: {outcome}", ct);
        return await PageAsync(http, antiforgery, scope, report, attention, null,
            $"Subscription {id} checked with Azure DevOps: {outcome}.", null, StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> PageAsync(
        HttpContext http, IAntiforgery antiforgery, ConsoleEnvironmentScope scope, SubscriptionHealthReport report, bool attention, string? cursor, string? notice, string? error,
        int status, CancellationToken ct)
    {
        var page = await report.ListAsync(scope.Environment, attention, cursor, PageSize, ct);
        var rows = page.Items.Select(r => new ServiceHookRowView(
            r.Subscription.Id, r.Subscription.ConnectionId,
            string.Join(" / ", new[] { r.Subscription.Organization, r.Subscription.ProjectName, r.Subscription.RepositoryName }.Where(p => p is { Length: > 0 })),
            r.Subscription.Status, r.Subscription.StatusReason, r.LastEventAt is null ? "no event yet" : ConsolePage.When(r.LastEventAt), r.Silent,
            string.Join(", ", r.Hooks.Select(h => $"{ServiceHookEventTypes.Find(h.EventType)?.Alias ?? h.EventType}: {h.AdoStatus ?? "missing"}")),
            ConsolePage.When(r.Subscription.LastCheckedAt),
            r.Subscription.EventsMayBeMissedSince is null ? null : ConsolePage.When(r.Subscription.EventsMayBeMissedSince), r.NeedsAttention)).ToList();
        var flag = attention ? "1" : null;
        var view = new ServiceHooksView(
            scope, attention, rows,
            page.NextCursor is null ? null : ConsolePage.Url("/console/service-hooks", ("environment", scope.Environment), ("attention", flag), ("cursor", page.NextCursor)),
            cursor is null ? null : ConsolePage.Url("/console/service-hooks", ("environment", scope.Environment), ("attention", flag)),
            page.SilenceAlarmAfter > TimeSpan.Zero ? Duration(page.SilenceAlarmAfter) : "off", notice, error);
        return new RazorComponentResult<ServiceHooksPage>(new { Frame = ConsolePage.Frame(http, antiforgery), View = view }) { StatusCode = status };
    }

    private static string Duration(TimeSpan span)
        => span.TotalDays >= 1 && span.TotalDays % 1 == 0 ? $"{span.TotalDays:0} day{(span.TotalDays == 1 ? "" : "s")}"
            : span.TotalHours >= 1 && span.TotalHours % 1 == 0 ? $"{span.TotalHours:0} hour{(span.TotalHours == 1 ? "" : "s")}"
            : $"{span.TotalMinutes:0.#} minutes";
}
