using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AdoBridge.Client;

/// <summary>
/// Typed Azure DevOps actions as one connection (/v1/connections/{id}/…). Azure DevOps objects come back as
/// <see cref="JsonElement"/> in Microsoft's REST shapes; Azure DevOps errors throw <see cref="AdoBridgeApiException"/>
/// with code <c>azure_devops_error</c> and its message and typeKey in <see cref="AdoBridgeApiException.Extensions"/>.
/// </summary>
public sealed class ConnectionActions
{
    private readonly AdoBridgeTransport transport;
    private readonly ActionPaths paths;

    internal ConnectionActions(AdoBridgeTransport transport, string connectionId)
    {
        this.transport = transport;
        paths = new ActionPaths(connectionId);
        PullRequests = new PullRequestsClient(transport, paths);
        WorkItems = new WorkItemsClient(transport, paths);
        Pipelines = new PipelinesClient(transport, paths);
        Builds = new BuildsClient(transport, paths);
    }

    /// <summary>Pull requests: list, get, create, update, reviewers and votes, comment threads, statuses.</summary>
    public PullRequestsClient PullRequests { get; }

    /// <summary>Work items: search, get, create, update, delete, comments.</summary>
    public WorkItemsClient WorkItems { get; }

    /// <summary>Pipelines and their runs.</summary>
    public PipelinesClient Pipelines { get; }

    /// <summary>Build definitions, builds and their logs.</summary>
    public BuildsClient Builds { get; }

    /// <summary>A file's content at a branch, tag or commit (<paramref name="versionType"/> branch, tag or commit; the
    /// default branch when <paramref name="version"/> is null).</summary>
    public Task<RepositoryFile> GetFileAsync(RepositoryRef repository, string path, string? version = null, string? versionType = null, CancellationToken cancellationToken = default)
        => transport.GetAsync(ApiPath.WithQuery($"{paths.Repository(repository)}/files", ("path", path), ("version", version), ("versionType", versionType)), AdoBridgeJsonContext.Default.RepositoryFile, cancellationToken);

    /// <summary>People of the organisation by e-mail, account or name (<paramref name="by"/>: general, mail, account or name).</summary>
    public Task<AzureDevOpsPage> SearchIdentitiesAsync(string organization, string search, string? by = null, CancellationToken cancellationToken = default)
        => GetPageAsync(ApiPath.WithQuery($"{paths.Organization(organization)}/identities", ("search", search), ("by", by)), cancellationToken);

    /// <summary>The organisations (or the Server collection) the connection holds.</summary>
    public async Task<IReadOnlyList<AzureDevOpsOrganization>> ListOrganizationsAsync(CancellationToken cancellationToken = default)
        => (await transport.GetAsync($"{paths.Connection}/organizations", AdoBridgeJsonContext.Default.ItemListAzureDevOpsOrganization, cancellationToken).ConfigureAwait(false)).Items;

    /// <summary>One page of an organisation's projects (top 1 to 1000).</summary>
    public Task<AzureDevOpsPage> ListProjectsAsync(string organization, PageRequest? page = null, CancellationToken cancellationToken = default)
        => GetPageAsync(ApiPath.WithQuery($"{paths.Organization(organization)}/projects", ("top", page?.Top), ("continuationToken", page?.ContinuationToken)), cancellationToken);

    /// <summary>Every project of an organisation, page after page as you enumerate.</summary>
    public IAsyncEnumerable<JsonElement> ListAllProjectsAsync(string organization, int? pageSize = null, CancellationToken cancellationToken = default)
        => ListAllAsync(page => ListProjectsAsync(organization, page, cancellationToken), pageSize, cancellationToken);

    /// <summary>The Git repositories of a project.</summary>
    public Task<AzureDevOpsPage> ListRepositoriesAsync(ProjectRef project, CancellationToken cancellationToken = default)
        => GetPageAsync($"{paths.Project(project)}/repositories", cancellationToken);

    /// <summary>One page of a repository's branches (full ref names, refs/heads/…).</summary>
    public Task<AzureDevOpsPage> ListBranchesAsync(RepositoryRef repository, PageRequest? page = null, CancellationToken cancellationToken = default)
        => GetPageAsync(ApiPath.WithQuery($"{paths.Repository(repository)}/branches", ("top", page?.Top), ("continuationToken", page?.ContinuationToken)), cancellationToken);

    /// <summary>Statuses of a commit (40-character id), newest first.</summary>
    public Task<AzureDevOpsPage> ListCommitStatusesAsync(RepositoryRef repository, string commitId, CommitStatusQuery? query = null, CancellationToken cancellationToken = default)
        => GetPageAsync(ApiPath.WithQuery(CommitStatusesPath(repository, commitId), ("top", query?.Top), ("skip", query?.Skip), ("latestOnly", query?.LatestOnly is true ? "true" : null)), cancellationToken);

    /// <summary>Posts a status on a commit, as a CI system or code analyser does; returns the status Azure DevOps stored.</summary>
    public Task<JsonElement> PostCommitStatusAsync(RepositoryRef repository, string commitId, PostStatusRequest status, CancellationToken cancellationToken = default)
        => transport.SendAsync(HttpMethod.Post, CommitStatusesPath(repository, commitId), PullRequestsClient.StatusContent(status), AdoBridgeJsonContext.Default.JsonElement, cancellationToken);

    internal Task<AzureDevOpsPage> GetPageAsync(string path, CancellationToken cancellationToken) => GetPageAsync(transport, path, cancellationToken);

    internal static async Task<AzureDevOpsPage> GetPageAsync(AdoBridgeTransport transport, string path, CancellationToken cancellationToken)
        => (await transport.GetAsync(path, AdoBridgeJsonContext.Default.ActionPageResponse, cancellationToken).ConfigureAwait(false)).ToPage();

    /// <summary>Walks continuation tokens until the last page.</summary>
    internal static async IAsyncEnumerable<JsonElement> ListAllAsync(
        Func<PageRequest, Task<AzureDevOpsPage>> list, int? pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        PageRequest? request = new() { Top = pageSize };
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await list(request).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            request = Paging.Next(request, request.ContinuationToken, page.ContinuationToken, static (q, token) => q with { ContinuationToken = token });
        }
        while (request is not null);
    }

    private string CommitStatusesPath(RepositoryRef repository, string commitId) => $"{paths.Repository(repository)}/commits/{ApiPath.Segment(commitId)}/statuses";
}
