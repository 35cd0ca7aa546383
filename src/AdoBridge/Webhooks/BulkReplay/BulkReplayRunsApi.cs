using System.ComponentModel;
using System.Security.Claims;
using AdoBridge.ApiKeys;
using AdoBridge.Hosting;
using AdoBridge.Problems;
using AdoBridge.Webhooks.Delivery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AdoBridge.Webhooks.BulkReplay;

/// <summary>
/// Bulk replays as runs the server works on its own (/v1/bulk-replays): start one, follow its progress, list them,
/// cancel one; scoped to the API key's environment.
/// </summary>
internal static class BulkReplayRunsApi
{
    public const string Route = "/bulk-replays";

    public static RouteGroupBuilder MapBulkReplayRunsApi(this RouteGroupBuilder v1)
    {
        v1.MapPost(Route, StartAsync).WithTags("Events")
            .WithRequestExample("""{"status": "dead", "since": "2026-12-01T00:00:00Z"}""")
            .WithName("startBulkReplay").WithProblemCodes(400, "invalid_filter").WithSummary("Start a bulk replay run")
            .WithDescription("Counts the events the filter matches and starts a run that the server works through on its own, step by step, up to the newest event counted "
                + "(events that arrive later are left alone): 202 with the run and its Location. Each event is replayed as POST /v1/events/{id}/replay does. "
                + "The run goes on across restarts and instances, paced so ingest and delivery keep up. With `dryRun` it only counts (200, nothing is started).");
        v1.MapGet(Route, ListAsync).WithTags("Events")
            .WithName("listBulkReplays").WithProblemCodes(400, "invalid_filter").WithSummary("List bulk replay runs")
            .WithDescription("This key's environment's bulk replay runs, newest first; page with `cursor`.");
        v1.MapGet(Route + "/{id}", GetAsync).WithTags("Events")
            .WithName("getBulkReplay").WithProblemCodes(404, "bulk_replay_not_found").WithSummary("Get a bulk replay run")
            .WithDescription("A run's progress: `state` (running, finished, cancelled, failed), `done` of `total`, the last event replayed (`cursor`) and the newest it covers (`through`).");
        v1.MapPost(Route + "/{id}/cancel", CancelAsync).WithTags("Events")
            .WithName("cancelBulkReplay").WithProblemCodes(404, "bulk_replay_not_found").WithSummary("Cancel a bulk replay run")
            .WithDescription("Stops a running run after the step in flight: what was replayed stays replayed, nothing more is. A run that already ended is answered as it is.");
        return v1;
    }

    private static async Task<Results<Accepted<BulkReplayRun>, Ok<BulkReplayCount>, ProblemHttpResult>> StartAsync(
        [FromBody] BulkReplayRunRequest? request, ClaimsPrincipal user, HttpContext http, BulkReplayRuns runs, CancellationToken ct)
    {
        var r = request ?? new BulkReplayRunRequest(null, null, null, null, null, null, null, null);
        if (EventFilterInput.Check(r.Type, r.Status, r.Source, r.Since, r.Until, r.Search) is { } error)
        {
            return Problem.BadRequest("invalid_filter", error);
        }

        var filter = new BulkReplayFilter(r.Type, r.ConnectionId, r.Status, r.Since, r.Until, r.Source, r.Search);
        if (r.DryRun == true)
        {
            var (count, through) = await runs.CountAsync(user.EnvironmentId(), filter, r.Through, ct);
            return TypedResults.Ok(new BulkReplayCount(count, through));
        }

        var actor = BulkReplayRuns.ApiKeyActor(user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim));
        var run = await runs.StartAsync(user.EnvironmentId(), filter, actor, http.Connection.RemoteIpAddress?.ToString(), r.Through, ct);
        return TypedResults.Accepted($"/v1{Route}/{run.Id}", run);
    }

    private static async Task<Results<Ok<BulkReplayRunList>, ProblemHttpResult>> ListAsync(ClaimsPrincipal user, BulkReplayRuns runs, string? cursor, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 500)
        {
            return Problem.BadRequest("invalid_filter", "`limit` must be between 1 and 500 (default 100).");
        }

        return TypedResults.Ok(await runs.ListAsync(user.EnvironmentId(), cursor, limit ?? 100, ct));
    }

    private static async Task<Results<Ok<BulkReplayRun>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, BulkReplayRuns runs, CancellationToken ct)
        => await runs.GetAsync(user.EnvironmentId(), id, ct) is { } run ? TypedResults.Ok(run) : NotFound(id);

    private static async Task<Results<Ok<BulkReplayRun>, ProblemHttpResult>> CancelAsync(
        string id, ClaimsPrincipal user, HttpContext http, BulkReplayRuns runs, CancellationToken ct)
    {
        var actor = BulkReplayRuns.ApiKeyActor(user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim));
        return await runs.CancelAsync(user.EnvironmentId(), id, actor, http.Connection.RemoteIpAddress?.ToString(), ct) is { } run ? TypedResults.Ok(run) : NotFound(id);
    }

    private static ProblemHttpResult NotFound(string id)
        => Problem.NotFound("bulk_replay_not_found",
            $"There is no bulk replay run '{(id.Length <= 64 ? id : id[..64] + "…")}' in this API key's environment: list them with GET /v1{Route}.");
}

/// <summary>A bulk replay to start: the filter (every part optional; none replays every event), or with `dryRun` only the count.</summary>
internal sealed record BulkReplayRunRequest(
    [property: Description("An event type (`pull_request.created`) or a family (`pull_request.*`).")] string? Type,
    [property: Description("Only events of this connection.")] string? ConnectionId,
    [property: Description("Only events whose deliveries are in this state: pending, delivered, failed, dead or none.")] string? Status,
    [property: Description("Only events at or after this time.")] DateTimeOffset? Since,
    [property: Description("Only events before this time.")] DateTimeOffset? Until,
    [property: Description("Only events from this source: adobridge or azure_devops.")] string? Source,
    [property: Description("Only events whose data or raw Azure DevOps payload contains this text (case-sensitive).")] string? Search,
    [property: Description("Only count what the filter matches; start nothing.")] bool? DryRun,
    [property: Description("The newest event the run may cover (`evt_…`); default the newest the filter matches now.")] string? Through = null);

/// <summary>What a bulk replay would cover: how many events the filter matches now, and the newest of them (null when none).</summary>
internal sealed record BulkReplayCount(int Total, string? Through);
