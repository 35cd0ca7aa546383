using System.Globalization;
using AdoBridge.AdminConsole.Components;
using AdoBridge.Environments;
using AdoBridge.Hosting;
using AdoBridge.Problems;
using AdoBridge.Webhooks.BulkReplay;
using AdoBridge.Webhooks.Delivery;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.AdminConsole;

/// <summary>
/// Bulk replay from the console: the count of what the filter matches before confirming; then a run the server works on
/// its own (<see cref="BulkReplayRuns"/>, the API's POST /v1/bulk-replays), whose page shows its progress (htmx
/// polls it; without JavaScript the page refreshes) and cancels it; and the list of recent runs. Closing the page does
/// not stop a run: Cancel does.
/// </summary>
internal static class ConsoleBulkReplayEndpoints
{
    public const string Started = BulkReplayRuns.StartedAction;
    public const string Finished = BulkReplayRuns.FinishedAction;
    public const string Cancelled = BulkReplayRuns.CancelledAction;

    /// <summary>How often the run's page asks for its progress.</summary>
    public const int PollSeconds = 2;

    public static IEndpointRouteBuilder MapConsoleBulkReplay(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/console/events/bulk-replay").ExcludeFromDescription().RequireAuthorization(ConsoleAuth.Policy).RequireConsoleAntiforgery();
        pages.MapGet("/", ConfirmAsync).WithName("consoleBulkReplay").WithSummary("Bulk replay: confirm")
            .WithDescription("How many events the filter matches, and the button that replays them all.").WithProblemCodes(400, "bad_request");
        pages.MapPost("/", StartAsync).WithName("consoleBulkReplayStart").WithSummary("Bulk replay: start")
            .WithDescription("Starts a run that replays every event the filter matches, up to the newest one counted, and opens its page.").WithProblemCodes(400, "antiforgery_failed");
        var runs = app.MapGroup("/console/events/bulk-replays").ExcludeFromDescription().RequireAuthorization(ConsoleAuth.Policy).RequireConsoleAntiforgery();
        runs.MapGet("/", ListAsync).WithName("consoleBulkReplayRuns").WithSummary("Bulk replay runs")
            .WithDescription("The environment's recent bulk replay runs, newest first.").WithProblemCodes(400, "bad_request");
        runs.MapGet("/{id}", RunAsync).WithName("consoleBulkReplayRun").WithSummary("Bulk replay run")
            .WithDescription("A run's progress, state and filter, with Cancel while it runs; htmx gets the progress block alone.").WithProblemCodes(404, "not_found");
        runs.MapPost("/{id}/cancel", CancelAsync).WithName("consoleBulkReplayCancel").WithSummary("Bulk replay: cancel")
            .WithDescription("Ends a run after the step in flight: what was replayed stays replayed, nothing more is.").WithProblemCodes(400, "antiforgery_failed");
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
        HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, BulkReplayRuns runs, CancellationToken ct)
    {
        var form = await ConsolePage.FormAsync(http, ct);
        var query = ConsoleEventQuery.Read(form);
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, query.Environment, ct);
        var (filter, error) = query.ToFilter(null, 0);
        var confirmed = new BulkReplayView(query.View(scope), ConsolePage.Field(form, "through"), null, 0, 0, false, false, error);
        if (filter is null || confirmed.Through is null)
        {
            return Page(http, antiforgery, confirmed with { Error = error ?? "Nothing to replay: the filter matched no event." }, StatusCodes.Status400BadRequest);
        }

        var run = await runs.StartAsync(scope.Environment, new BulkReplayFilter(filter.Type, filter.ConnectionId, filter.Status, filter.Since, filter.Until, filter.Source, filter.Search),
            BulkReplayRuns.ConsoleActor(ConsoleAccounts.Normalize(http.User.UserName())), http.Connection.RemoteIpAddress?.ToString(), confirmed.Through, ct);
        return TypedResults.Redirect(RunUrl(run.Id), permanent: false, preserveMethod: false);
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, BulkReplayRuns runs, CancellationToken ct)
    {
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, ConsolePage.Field(http.Request.Query, "environment"), ct);
        var cursor = ConsolePage.Field(http.Request.Query, "cursor");
        var page = await runs.ListAsync(scope.Environment, cursor, 50, ct);
        var next = page.NextCursor is null ? null : ConsolePage.Url("/console/events/bulk-replays", ("environment", scope.Environment), ("cursor", page.NextCursor));
        var view = new BulkReplayRunsView(scope, page.Items.Select(r => View(r, scope.Environment, null)).ToList(), next);
        return new RazorComponentResult<BulkReplayRunsPage>(new { Frame = ConsolePage.Frame(http, antiforgery), Runs = view });
    }

    private static async Task<IResult> RunAsync(
        string id, HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, BulkReplayRuns runs, CancellationToken ct)
    {
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, null, ct);
        var notice = ConsolePage.Field(http.Request.Query, "cancelled") is not null ? "Cancelled: the step in flight finishes, and no other starts." : null;
        return await RunPageAsync(http, antiforgery, runs, scope, id, notice, ct);
    }

    private static async Task<IResult> CancelAsync(
        string id, HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, BulkReplayRuns runs, CancellationToken ct)
    {
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, null, ct);
        if (await runs.GetAsync(scope.Environments, id, ct) is not { } found)
        {
            return await RunPageAsync(http, antiforgery, runs, scope, id, null, ct);
        }

        var actor = BulkReplayRuns.ConsoleActor(ConsoleAccounts.Normalize(http.User.UserName()));
        await runs.CancelAsync(found.EnvironmentId, id, actor, http.Connection.RemoteIpAddress?.ToString(), ct);
        return TypedResults.Redirect(RunUrl(id) + "?cancelled=1", permanent: false, preserveMethod: false);
    }

    private static async Task<IResult> RunPageAsync(
        HttpContext http, IAntiforgery antiforgery, BulkReplayRuns runs, ConsoleEnvironmentScope scope, string id, string? notice, CancellationToken ct)
    {
        var frame = ConsolePage.Frame(http, antiforgery);
        if (await runs.GetAsync(scope.Environments, id, ct) is not { } found)
        {
            var missing = new BulkReplayRunsView(scope, [], null);
            return new RazorComponentResult<BulkReplayRunsPage>(new
            {
                Frame = frame, Runs = missing, Error = $"There is no bulk replay run '{(id.Length <= 64 ? id : id[..64] + "…")}' in an environment you manage.",
            })
            {
                StatusCode = StatusCodes.Status404NotFound,
            };
        }

        var run = View(found.Run, found.EnvironmentId, notice);
        return ConsolePage.IsHtmx(http)
            ? new RazorComponentResult<BulkReplayRunStatus>(new { Frame = frame, Run = run })
            : new RazorComponentResult<BulkReplayRunPage>(new { Frame = frame, Run = run });
    }

    private static BulkReplayRunView View(BulkReplayRun r, string environment, string? notice)
    {
        var f = r.Filter;
        var events = ConsolePage.Url("/console/events",
            ("environment", environment), ("type", f.Type), ("connectionId", f.ConnectionId), ("status", f.Status),
            ("since", f.Since?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)), ("until", f.Until?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)),
            ("source", f.Source), ("search", f.Search));
        var startedBy = r.StartedBy.StartsWith("console:", StringComparison.Ordinal) ? r.StartedBy["console:".Length..] : "API key " + r.StartedBy["api-key:".Length..];
        return new BulkReplayRunView(r.Id, environment, r.State, r.Done, r.Total, f.Describe(), startedBy, ConsolePage.When(r.CreatedAt), ConsolePage.When(r.UpdatedAt), r.Error, events, notice);
    }

    private static string RunUrl(string id) => "/console/events/bulk-replays/" + Uri.EscapeDataString(id);

    private static RazorComponentResult<BulkReplayPage> Page(HttpContext http, IAntiforgery antiforgery, BulkReplayView run, int status)
        => new RazorComponentResult<BulkReplayPage>(new { Frame = ConsolePage.Frame(http, antiforgery), Run = run }) { StatusCode = status };
}
