using System.Text.Json;

namespace AdoBridge.Client;

/// <summary>What POST /v1/sandbox/trigger did in the emulator, and the ids to wait for.</summary>
/// <param name="Event">The event type made to happen, e.g. <c>pull_request.created</c>.</param>
/// <param name="ConnectionId">The connection whose subscription heard it.</param>
/// <param name="ConnectionCreated">True when the trigger made a PAT connection because the environment had none.</param>
/// <param name="SubscriptionId">The subscription that covers the event.</param>
/// <param name="SubscriptionCreated">True when the trigger subscribed the project to the event first.</param>
/// <param name="Organization">The emulated organisation.</param>
/// <param name="Project">The project.</param>
/// <param name="Repository">The repository (Git events).</param>
/// <param name="Steps">Each thing done in the emulator, in order, e.g. "created pull request 12".</param>
/// <param name="Resource">The ids of what was made: <c>pullRequestId</c>, <c>branch</c>, <c>commitId</c>, <c>workItemId</c>…</param>
/// <param name="AzureDevOpsEventId">Azure DevOps' event id of the service hook notification; null if it had not been delivered within 10 s.</param>
/// <param name="EventId">AdoBridge's event id (the webhook-id), once stored; null if it had not arrived yet.</param>
public sealed record SandboxTriggerResult(
    string Event, string ConnectionId, bool ConnectionCreated, string SubscriptionId, bool SubscriptionCreated,
    string Organization, string Project, string Repository, IReadOnlyList<string> Steps, IReadOnlyDictionary<string, JsonElement> Resource,
    string? AzureDevOpsEventId, string? EventId);

internal sealed record SandboxTriggerRequest(string Event, string? Connection);
