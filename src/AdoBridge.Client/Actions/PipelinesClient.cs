using System.Text.Json;

namespace AdoBridge.Client;

/// <summary>Pipelines of a connection's projects: list, run, list runs, get a run.</summary>
public sealed class PipelinesClient
{
    private readonly AdoBridgeTransport transport;
    private readonly ActionPaths paths;

    internal PipelinesClient(AdoBridgeTransport transport, ActionPaths paths)
    {
        this.transport = transport;
        this.paths = paths;
    }

    /// <summary>One page of a project's pipelines.</summary>
    public Task<AzureDevOpsPage> ListAsync(ProjectRef project, PageRequest? page = null, CancellationToken cancellationToken = default)
        => ConnectionActions.GetPageAsync(transport, ApiPath.WithQuery($"{paths.Project(project)}/pipelines", ("top", page?.Top), ("continuationToken", page?.ContinuationToken)), cancellationToken);

    /// <summary>Queues a run; returns it (state inProgress).</summary>
    public Task<JsonElement> RunAsync(ProjectRef project, int pipelineId, RunPipelineRequest? request = null, CancellationToken cancellationToken = default)
        => transport.SendAsync(HttpMethod.Post, RunsPath(project, pipelineId),
            AdoBridgeTransport.Json(request ?? new RunPipelineRequest(), AdoBridgeJsonContext.Default.RunPipelineRequest), AdoBridgeJsonContext.Default.JsonElement, cancellationToken);

    /// <summary>One page of a pipeline's runs, newest first.</summary>
    public Task<AzureDevOpsPage> ListRunsAsync(ProjectRef project, int pipelineId, PageRequest? page = null, CancellationToken cancellationToken = default)
        => ConnectionActions.GetPageAsync(transport, ApiPath.WithQuery(RunsPath(project, pipelineId), ("top", page?.Top), ("continuationToken", page?.ContinuationToken)), cancellationToken);

    /// <summary>Every run of a pipeline, newest first, page after page as you enumerate.</summary>
    public IAsyncEnumerable<JsonElement> ListAllRunsAsync(ProjectRef project, int pipelineId, int? pageSize = null, CancellationToken cancellationToken = default)
        => ConnectionActions.ListAllAsync(page => ListRunsAsync(project, pipelineId, page, cancellationToken), pageSize, cancellationToken);

    /// <summary>One run: state (inProgress, completed), result, branch.</summary>
    public Task<JsonElement> GetRunAsync(ProjectRef project, int pipelineId, int runId, CancellationToken cancellationToken = default)
        => transport.GetAsync($"{RunsPath(project, pipelineId)}/{runId}", AdoBridgeJsonContext.Default.JsonElement, cancellationToken);

    private string RunsPath(ProjectRef project, int pipelineId) => $"{paths.Project(project)}/pipelines/{pipelineId}/runs";
}
