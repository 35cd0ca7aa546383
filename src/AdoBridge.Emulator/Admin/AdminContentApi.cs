using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AdoBridge.Emulator;

internal sealed record HookSettingsRequest(double BackoffFactor);

internal sealed record HookStatusRequest(string Status);

internal sealed record ThrottleRequest(string? Organization = null, string? PathPrefix = null, bool Block = true, int? Count = null, double? Seconds = null, int RetryAfterSeconds = 30, string Resource = "Core", int Limit = 200, int Remaining = 0, double DelaySeconds = 0);

internal sealed record SyntheticFileRequest(string Path, long Length, Guid? RepositoryId = null);

internal sealed record CompleteRunRequest(string Result = "succeeded");

internal sealed record PipelineSettingsRequest(double RunDurationSeconds);

/// <summary>Admin routes for the Azure DevOps content: webhook deliveries and subscription health, throttling,
/// synthetic large files and pipeline runs.</summary>
internal static class AdminContentApi
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/hooks/deliveries", (Guid? subscriptionId, EmulatorState s) =>
            Results.Json(s.HookDeliveries.Where(d => subscriptionId is null || d.SubscriptionId == subscriptionId)));
        admin.MapDelete("/hooks/deliveries", (EmulatorState s) =>
        {
            s.ClearHookDeliveries();
            return Results.NoContent();
        });
        admin.MapPut("/hooks/settings", (HookSettingsRequest r, EmulatorState s) =>
        {
            s.SetHookBackoffFactor(r.BackoffFactor);
            return Results.NoContent();
        });
        admin.MapPost("/hooks/subscriptions/{subscriptionId:guid}/status", (Guid subscriptionId, HookStatusRequest r, EmulatorState s) =>
        {
            s.SetHookSubscriptionStatus(subscriptionId, r.Status);
            return Results.NoContent();
        });

        HooksAdminApi.Map(admin);

        admin.MapGet("/throttles", (EmulatorState s) => Results.Json(s.Throttles));
        admin.MapPost("/throttles", (ThrottleRequest r, EmulatorState s) =>
        {
            var prefix = r.PathPrefix ?? (r.Organization is { } org ? $"/{EmulatorDefaults.DevOpsHost}/{org}" : throw new ArgumentException("Send 'organization' or 'pathPrefix'."));
            s.Throttle(new EmulatorThrottle(prefix, r.Block, r.Count, r.Seconds, r.RetryAfterSeconds, r.Resource, r.Limit, r.Remaining, r.DelaySeconds));
            return Results.NoContent();
        });
        admin.MapDelete("/throttles", (EmulatorState s) =>
        {
            s.ClearThrottles();
            return Results.NoContent();
        });

        admin.MapPost("/git/synthetic-files", (SyntheticFileRequest r, EmulatorState s) =>
            Results.Json(s.AddSyntheticFile(r.RepositoryId ?? Guid.Parse(EmulatorDefaults.RepositoryId), r.Path, r.Length), statusCode: 201));

        admin.MapPost("/pipelines/runs/{runId:int}/complete", (int runId, CompleteRunRequest? r, EmulatorState s) =>
        {
            s.CompletePipelineRun(runId, r?.Result ?? "succeeded");
            return Results.NoContent();
        });
        admin.MapPut("/pipelines/settings", (PipelineSettingsRequest r, EmulatorState s) =>
        {
            s.PipelineRunDuration = TimeSpan.FromSeconds(r.RunDurationSeconds);
            return Results.NoContent();
        });
    }
}
