using System.Globalization;
using AdoBridge.AdminConsole.Components;
using AdoBridge.Environments;
using AdoBridge.Hosting;
using AdoBridge.Problems;
using AdoBridge.Webhooks.Delivery;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.AdminConsole;

/// <summary>
/// Bulk replay from the console: the count of what the filter matches before confirming, then the run in steps the page
/// posts one after another (htmx) while it shows the progress, and cancel. Each step is the API's
/// (POST /v1/events/bulk-replay): <see cref="EventLog.ReplayMatchingAsync"/> after the last event replayed, up to the newest
/// event counted, so a run state lives in the page, any instance serves any step, and cancelling is not asking for the next.
/// </summary>
internal static class ConsoleBulkReplayEndpoints
{
    public const string Started = "events.bulk_replay_started";
    public const string Finished = "events.bulk_replay_finished";
    public const string Cancelled = "events.bulk_replay_cancelled";
    public const int StepSize = 500;

    public static IEndpointRouteBuilder MapConsoleBulkReplay(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/console/events/bulk-replay").ExcludeFromDescription().RequireAuthorization(ConsoleAuth.Policy).RequireConsoleAntiforgery();
        pages.MapGet("/", ConfirmAsync).WithName("consoleBulkReplay").WithSummary("Bulk replay: confirm")
            .WithDescription("How many events the filter matches, and the button that replays them all.").WithProblemCodes(400, "bad_request");
        pages.MapPost("/", StartAsync).WithName("consoleBulkReplayStart").WithSummary("Bulk replay: start")
            .WithDescription("Starts replaying every event the filter matches, up to the newest one counted.").WithProblemCodes(400, "antiforgery_failed");
        pages.MapPost("/step", StepAsync).WithName("consoleBulkReplayStep").WithSummary("Bulk replay: next step")
            .WithDescription("Replays the next events of a run and answers its progress.").WithProblemCodes(400, "antiforgery_failed");
        pages.MapPost("/cancel", CancelAsync).WithName("consoleBulkReplayCancel").WithSummary("Bulk replay: cancel")
            .WithDescription("Ends a run: what was replayed stays replayed, nothing more is.").WithProblemCodes(400, "antiforgery_failed");
        return app;
    }

    private static async Task<IResult> ConfirmAsync(HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, EventLog log, CancellationToken ct)
    {
        var query = ConsoleEventQuery.Read(http.Request.Query);
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, query.Environment, ct);
        var (filter, error) = query.ToFilter(null, 0);
        if (filter is null)
        {
            return Page(http, antiforgery, new BulkReplayView(query.View(scope), null, null, 0, 0, false, false, error), StatusCodes.Status400BadRequest);
        }

        var (count, through) = await log.CountAsync(scope.Environment, filter, ct);
        return Page(http, antiforgery, new BulkReplayView(query.View(scope), through, null, 0, count, false, false, null), StatusCodes.Status200OK);
    }

    private static async Task<IResult> StartAsync(
        HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, EventLog log, ConsoleAccounts accounts, CancellationToken ct)
    {
        var (run, scope, filter) = await ReadRunAsync(http, environments, sandbox, ct);
        if (filter is null || run.Through is null)
        {
            return Page(http, antiforgery, run with { Error = run.Error ?? "Nothing to replay: the filter matched no event." }, StatusCodes.Status400BadRequest);
        }

        await ConsolePage.AuditAsync(http, accounts, Started, $"{run.Total} events in {scope.Environment} through {run.Through}; filter {Describe(run.Query)}", ct);
        return Page(http, antiforgery, await StepCoreAsync(http, accounts, log, run, scope, filter, ct), StatusCodes.Status200OK);
    }

    private static async Task<IResult> StepAsync(
        HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, EventLog log, ConsoleAccounts accounts, CancellationToken ct)
    {
        var (run, scope, filter) = await ReadRunAsync(http, environments, sandbox, ct);
        if (filter is null || run.Through is null)
        {
            return Page(http, antiforgery, run with { Error = run.Error ?? "This run has no newest event to stop at: start it again from the event log." }, StatusCodes.Status400BadRequest);
        }

        return Page(http, antiforgery, await StepCoreAsync(http, accounts, log, run, scope, filter, ct), StatusCodes.Status200OK);
    }

    private static async Task<IResult> CancelAsync(HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, ConsoleAccounts accounts, CancellationToken ct)
    {
        var (run, scope, _) = await ReadRunAsync(http, environments, sandbox, ct);
        await ConsolePage.AuditAsync(http, accounts, Cancelled, $"after {run.Done} of {run.Total} events in {scope.Environment}; filter {Describe(run.Query)}", ct);
        return Page(http, antiforgery, run with { Cancelled = true }, StatusCodes.Status200OK);
    }

    private static async Task<BulkReplayView> StepCoreAsync(
        HttpContext http, ConsoleAccounts accounts, EventLog log, BulkReplayView run, ConsoleEnvironmentScope scope, EventFilter filter, CancellationToken ct)
    {
        var (replayed, next) = await log.ReplayMatchingAsync(scope.Environment, filter, run.Through!, StepSize, ct);
        var done = run.Done + replayed;
        if (next is null)
        {
            await ConsolePage.AuditAsync(http, accounts, Finished, $"{done} events in {scope.Environment}; filter {Describe(run.Query)}", ct);
        }

        // Events whose status changed since the count may make the run end before the count, or pass it: show what happened.
        return run with { Cursor = next, Done = done, Total = Math.Max(run.Total, done), Finished = next is null };
    }

    private static async Task<(BulkReplayView Run, ConsoleEnvironmentScope Scope, EventFilter? Filter)> ReadRunAsync(
        HttpContext http, EnvironmentService environments, SandboxMode sandbox, CancellationToken ct)
    {
        var form = await ConsolePage.FormAsync(http, ct);
        var query = ConsoleEventQuery.Read(form);
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, query.Environment, ct);
        var cursor = ConsolePage.Field(form, "cursor");
        var (filter, error) = query.ToFilter(cursor, 0);
        var done = int.TryParse(ConsolePage.Field(form, "done"), NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : 0;
        var total = int.TryParse(ConsolePage.Field(form, "total"), NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : 0;
        return (new BulkReplayView(query.View(scope), ConsolePage.Field(form, "through"), cursor, done, total, false, false, error), scope, filter);
    }

    private static RazorComponentResult Page(HttpContext http, IAntiforgery antiforgery, BulkReplayView run, int status)
    {
        var frame = ConsolePage.Frame(http, antiforgery);
        return ConsolePage.IsHtmx(http)
            ? new RazorComponentResult<BulkReplayProgress>(new { Frame = frame, Run = run }) { StatusCode = status }
            : new RazorComponentResult<BulkReplayPage>(new { Frame = frame, Run = run }) { StatusCode = status };
    }

    private static string Describe(EventQueryView q)
    {
        var parts = new[] { ("type", q.Type), ("connection", q.ConnectionId), ("status", q.Status), ("since", q.Since), ("until", q.Until), ("source", q.Source), ("search", q.Search) }
            .Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={p.Item2}").ToList();
        return parts.Count == 0 ? "(every event)" : string.Join(", ", parts);
    }
}
