using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using AdoBridge.Mcp;
using AdoBridge.Mcp.Approvals;
using AdoBridge.Storage;

namespace AdoBridge.Operations.OpenApi;

/// <summary>
/// Describes path and query parameters. Their names mean the same thing across AdoBridge's routes (a `{project}` is always an
/// Azure DevOps project), so one table serves them all; where a name depends on the route (`{id}`, `status`), the route
/// decides. Closed sets get their enum. A parameter this table does not know keeps what its handler says (the document test
/// fails on any parameter left without a description).
/// </summary>
internal sealed class ParameterDescriptions : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var route = "/" + (context.Description.RelativePath ?? string.Empty).TrimEnd('/');
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.Name is null)
            {
                continue;
            }

            var (description, values) = Describe(route, parameter.Name, parameter.In);
            if (string.IsNullOrEmpty(parameter.Description) && description is not null)
            {
                parameter.Description = description;
            }

            if (values is not null && parameter.Schema is OpenApiSchema schema && schema.Enum is not { Count: > 0 })
            {
                schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
            }
        }

        return Task.CompletedTask;
    }

    private static (string? Description, string[]? Values) Describe(string route, string name, ParameterLocation? location) => (name, location) switch
    {
        ("id", ParameterLocation.Path) when route.StartsWith("/v1/connections/", StringComparison.Ordinal) => ("The connection's id (`conn_…`).", null),
        ("id", ParameterLocation.Path) when route.StartsWith("/v1/bulk-replays/", StringComparison.Ordinal) => ("The bulk replay run's id (`brr_…`), as POST /v1/bulk-replays returned it.", null),
        ("id", ParameterLocation.Path) when route.StartsWith("/v1/events/", StringComparison.Ordinal) => ("The event's id (`evt_…`).", null),
        ("id", ParameterLocation.Path) when route.StartsWith("/v1/connect-sessions/", StringComparison.Ordinal) => ("The connect session's id (`cs_…`), as POST /v1/connect-sessions returned it.", null),
        ("id", ParameterLocation.Path) when route.StartsWith("/v1/webhook-endpoints/", StringComparison.Ordinal) => ("The webhook endpoint's id (`whe_…`).", null),
        ("id", ParameterLocation.Path) when route.StartsWith("/v1/admin/api-keys/", StringComparison.Ordinal) => ("The API key's id (the part after `adbk_` and before the next `_`).", null),
        ("id", ParameterLocation.Path) when route.StartsWith(McpApprovalsApi.Route + "/", StringComparison.Ordinal) => ("The approval's id (`mcpa_…`), as the pending tool result gave it.", null),
        ("subject", ParameterLocation.Path) => ("Who the policy is for: `key:<API key id>` or `client:<OAuth client id>`.", null),
        ("status", _) when route == McpApprovalsApi.Route => ("Only approvals in this state.", [.. McpApprovalStatus.All]),
        ("name", ParameterLocation.Path) => ("The app's name (lowercase letters, digits and '-').", null),
        ("path", ParameterLocation.Path) => ("The hook's unguessable ingest path, as AdoBridge registered it with Azure DevOps.", null),
        ("subscriptionId", _) => ("The subscription's id (`sub_…`).", null),
        ("org", _) => ("The Azure DevOps organisation, one the connection holds (e.g. `fabrikam`).", null),
        ("project", _) => ("The project, by name or id.", null),
        ("repo", _) => ("The Git repository, by name or id.", null),
        ("pullRequestId", _) => ("The pull request's number.", null),
        ("reviewerId", _) => ("A reviewer's identity id (a GUID; find people with the identities action).", null),
        ("threadId", _) => ("The comment thread's id.", null),
        ("commitId", _) => ("The commit's full SHA-1.", null),
        ("workItemId", _) => ("The work item's id.", null),
        ("pipelineId", _) => ("The pipeline's id.", null),
        ("runId", _) => ("The pipeline run's id.", null),
        ("buildId", _) => ("The build's id.", null),
        ("logId", _) => ("The log's id within the build.", null),
        ("cursor", _) when route == "/v1/events/stream" => ("Start after this cursor: an entry's `id` from an earlier stream, `0` for the oldest stored event. Omit to start now.", null),
        ("after", _) when route == "/v1/events/stream" => ("Start after this event (`evt_…`), or after a cursor as `cursor` does.", null),
        ("Last-Event-ID", _) => ("The `id` of the last entry received; EventSource sends it when it reconnects. It wins over `cursor` and `after`.", null),
        ("types", _) => ("Only these event types, comma-separated (or repeated): exact types, families such as `pull_request.*`, or `*`.", null),
        ("connection", _) => ("Only events about this connection (`conn_…`).", null),
        ("cursor", _) when route == "/v1/bulk-replays" => ("Where the previous page ended: its `nextCursor` (runs come newest first). Omit for the first page.", null),
        ("cursor", _) => ("Where the previous page ended: its `nextCursor`. Omit for the first page.", null),
        ("limit", _) => ("At most this many items in the page (1 to 500; default 100).", null),
        ("top", _) => ("At most this many items.", null),
        ("skip", _) => ("Skip this many items first.", null),
        ("continuationToken", _) => ("The previous page's `continuationToken` (Azure DevOps' `x-ms-continuationtoken`). Omit for the first page.", null),
        ("status", _) when route.StartsWith("/v1/events", StringComparison.Ordinal) => ("Only events whose deliveries are in this state.", ["pending", "delivered", "failed", "dead", "none"]),
        ("status", _) when route.StartsWith("/v1/deliveries", StringComparison.Ordinal) => ("Only deliveries in this state.", ["pending", "failed", "succeeded", "dead"]),
        ("status", _) when route == "/v1/connections" => ("Only connections in this state.", ConnectionStatus.All),
        ("status", _) when route.EndsWith("/pull-requests", StringComparison.Ordinal) => ("Only pull requests in this state (default: active).", ["active", "abandoned", "completed", "all"]),
        ("status", _) when route.EndsWith("/builds", StringComparison.Ordinal) => ("Only builds in this state.", ["inProgress", "completed", "cancelling", "postponed", "notStarted", "all"]),
        ("authType", _) => ("Only connections of this kind.", [AuthTypes.Entra, AuthTypes.Legacy, AuthTypes.Pat, AuthTypes.ServicePrincipal]),
        ("app", ParameterLocation.Query) => ("Only connections made through this app.", null),
        ("endUserId", _) => ("Only connections of this end user (your product's id for them).", null),
        ("type", _) => ("An event type (`pull_request.created`) or a family (`pull_request.*`).", null),
        ("connectionId", _) => ("Only events of this connection.", null),
        ("since", _) => ("Only those at or after this time (ISO 8601).", null),
        ("until", _) => ("Only those before this time (ISO 8601).", null),
        ("source", _) => ("Only events from this source.", [EventSources.AzureDevOps, EventSources.AdoBridge]),
        ("endpointId", _) => ("Only deliveries to this webhook endpoint.", null),
        ("eventId", _) => ("Only deliveries of this event.", null),
        ("environment", _) => ("Only keys of this environment (owner keys only; an admin key sees its own).", null),
        ("tenant", _) => ("For a multi-tenant app: the tenant to run the live checks against.", null),
        ("creatorId", _) => ("Only pull requests created by this identity id.", null),
        ("sourceRef", _) => ("Only pull requests from this branch (`refs/heads/…` or a branch name).", null),
        ("targetRef", _) => ("Only pull requests into this branch (`refs/heads/…` or a branch name).", null),
        ("latestOnly", _) => ("Only the newest status per genre and name.", null),
        ("order", _) => ("`asc` for oldest first; default newest first.", ["asc", "desc"]),
        ("ids", _) => ("Work item ids, comma-separated (up to 1,000).", null),
        ("fields", _) => ("Only these fields, comma-separated reference names (e.g. `System.Title,System.State`).", null),
        ("expand", _) => ("What to include besides fields.", ["none", "relations", "fields", "links", "all"]),
        ("iteration", _) => ("The iteration (push) to show; default the latest.", null),
        ("compareTo", _) => ("Compare with this earlier iteration instead of the target branch.", null),
        ("diff", _) => ("Include each text file's unified diff.", null),
        ("path", ParameterLocation.Query) => ("The file's path in the repository, e.g. `/src/app.cs`.", null),
        ("version", _) => ("The branch, tag or commit to read at; default the default branch.", null),
        ("versionType", _) => ("What `version` names.", ["branch", "tag", "commit"]),
        ("search", _) when route == "/v1/events" => ("Only events whose data or raw Azure DevOps payload contains this text (case-sensitive, up to 200 characters).", null),
        ("search", _) => ("Who to look for: an e-mail address, account or display name.", null),
        ("by", _) => ("How to match `search`.", ["general", "mail", "account", "name"]),
        ("definitionId", _) => ("Only builds of this definition.", null),
        ("branch", _) => ("Only builds of this branch.", null),
        ("name", ParameterLocation.Query) => ("Only definitions with this name (`*` is a wildcard).", null),
        ("startLine", _) => ("The first line to return (1-based).", null),
        ("endLine", _) => ("The last line to return.", null),
        _ => (null, null),
    };
}
