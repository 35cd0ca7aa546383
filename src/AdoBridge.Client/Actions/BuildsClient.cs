using System.Text.Json;

namespace AdoBridge.Client;

/// <summary>Builds of a connection's projects: definitions, builds (list, queue, get) and their logs.</summary>
public sealed class BuildsClient
{
    private readonly AdoBridgeTransport transport;
    private readonly ActionPaths paths;

    internal BuildsClient(AdoBridgeTransport transport, ActionPaths paths)
    {
        this.transport = transport;
        this.paths = paths;
    }

    /// <summary>Build definitions of a project, optionally by name (* is a wildcard); page with <paramref name="page"/>.</summary>
    public Task<AzureDevOpsPage> ListDefinitionsAsync(ProjectRef project, string? name = null, PageRequest? page = null, CancellationToken cancellationToken = default)
        => ConnectionActions.GetPageAsync(transport, ApiPath.WithQuery($"{paths.Project(project)}/build-definitions",
            ("name", name), ("top", page?.Top), ("continuationToken", page?.ContinuationToken)), cancellationToken);

    /// <summary>Builds, newest first.</summary>
    public Task<AzureDevOpsPage> ListAsync(ProjectRef project, BuildQuery? query = null, CancellationToken cancellationToken = default)
        => ConnectionActions.GetPageAsync(transport, ApiPath.WithQuery($"{paths.Project(project)}/builds",
            ("definitionId", query?.DefinitionId), ("branch", query?.Branch), ("status", query?.Status), ("top", query?.Top), ("continuationToken", query?.ContinuationToken)), cancellationToken);

    /// <summary>Queues a build; returns it (status notStarted).</summary>
    public Task<JsonElement> QueueAsync(ProjectRef project, QueueBuildRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return transport.SendAsync(HttpMethod.Post, $"{paths.Project(project)}/builds",
            AdoBridgeTransport.Json(request, AdoBridgeJsonContext.Default.QueueBuildRequest), AdoBridgeJsonContext.Default.JsonElement, cancellationToken);
    }

    /// <summary>One build: status, result, branch, parameters.</summary>
    public Task<JsonElement> GetAsync(ProjectRef project, int buildId, CancellationToken cancellationToken = default)
        => transport.GetAsync($"{paths.Project(project)}/builds/{buildId}", AdoBridgeJsonContext.Default.JsonElement, cancellationToken);

    /// <summary>A build's logs (id, lineCount).</summary>
    public Task<AzureDevOpsPage> ListLogsAsync(ProjectRef project, int buildId, CancellationToken cancellationToken = default)
        => ConnectionActions.GetPageAsync(transport, $"{paths.Project(project)}/builds/{buildId}/logs", cancellationToken);

    /// <summary>A log's lines, optionally from <paramref name="startLine"/> to <paramref name="endLine"/> (1-based).</summary>
    public async Task<IReadOnlyList<string>> GetLogLinesAsync(ProjectRef project, int buildId, int logId, int? startLine = null, int? endLine = null, CancellationToken cancellationToken = default)
    {
        var page = await ConnectionActions.GetPageAsync(transport, ApiPath.WithQuery($"{paths.Project(project)}/builds/{buildId}/logs/{logId}", ("startLine", startLine), ("endLine", endLine)), cancellationToken).ConfigureAwait(false);
        return page.Items.Select(l => l.GetString() ?? string.Empty).ToList();
    }
}
