using System.Net.Http.Json;
using System.Text.Json;

namespace AdoBridge.Client;

/// <summary>Pull requests of a connection's repositories: list, get, create, update, reviewers and votes, threads, statuses.</summary>
public sealed class PullRequestsClient
{
    private readonly AdoBridgeTransport transport;
    private readonly ActionPaths paths;

    internal PullRequestsClient(AdoBridgeTransport transport, ActionPaths paths)
    {
        this.transport = transport;
        this.paths = paths;
    }

    /// <summary>One page of pull requests (Azure DevOps pages them with top and skip).</summary>
    public Task<AzureDevOpsPage> ListAsync(RepositoryRef repository, PullRequestQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new PullRequestQuery();
        return ConnectionActions.GetPageAsync(transport, ApiPath.WithQuery($"{paths.Repository(repository)}/pull-requests",
            ("status", query.Status), ("creatorId", query.CreatorId), ("reviewerId", query.ReviewerId), ("sourceRef", query.SourceRef),
            ("targetRef", query.TargetRef), ("top", query.Top), ("skip", query.Skip)), cancellationToken);
    }

    /// <summary>The changed files of the latest iteration (or <see cref="ChangedFilesQuery.Iteration"/>), optionally with unified diffs.</summary>
    public Task<ChangedFiles> GetChangedFilesAsync(RepositoryRef repository, int pullRequestId, ChangedFilesQuery? query = null, CancellationToken cancellationToken = default)
        => transport.GetAsync(ApiPath.WithQuery($"{paths.PullRequest(repository, pullRequestId)}/changes",
            ("iteration", query?.Iteration), ("compareTo", query?.CompareTo), ("diff", query?.Diff == true ? "true" : null)), AdoBridgeJsonContext.Default.ChangedFiles, cancellationToken);

    /// <summary>The pull request's commits, newest first.</summary>
    public Task<AzureDevOpsPage> ListCommitsAsync(RepositoryRef repository, int pullRequestId, CancellationToken cancellationToken = default)
        => ConnectionActions.GetPageAsync(transport, $"{paths.PullRequest(repository, pullRequestId)}/commits", cancellationToken);

    /// <summary>Work items linked to the pull request (id and url).</summary>
    public Task<AzureDevOpsPage> ListWorkItemsAsync(RepositoryRef repository, int pullRequestId, CancellationToken cancellationToken = default)
        => ConnectionActions.GetPageAsync(transport, $"{paths.PullRequest(repository, pullRequestId)}/work-items", cancellationToken);

    /// <summary>Branch policy evaluations: each policy, whether it blocks, and its status.</summary>
    public Task<AzureDevOpsPage> ListPolicyEvaluationsAsync(RepositoryRef repository, int pullRequestId, CancellationToken cancellationToken = default)
        => ConnectionActions.GetPageAsync(transport, $"{paths.PullRequest(repository, pullRequestId)}/policy-evaluations", cancellationToken);

    /// <summary>One pull request.</summary>
    public Task<JsonElement> GetAsync(RepositoryRef repository, int pullRequestId, CancellationToken cancellationToken = default)
        => transport.GetAsync(paths.PullRequest(repository, pullRequestId), AdoBridgeJsonContext.Default.JsonElement, cancellationToken);

    /// <summary>Creates a pull request.</summary>
    public Task<JsonElement> CreateAsync(RepositoryRef repository, CreatePullRequestRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Send(HttpMethod.Post, $"{paths.Repository(repository)}/pull-requests", AdoBridgeTransport.Json(request, AdoBridgeJsonContext.Default.CreatePullRequestRequest), cancellationToken);
    }

    /// <summary>Updates a pull request: title, description, draft, status (complete, abandon, reactivate), auto-complete.</summary>
    public Task<JsonElement> UpdateAsync(RepositoryRef repository, int pullRequestId, UpdatePullRequestRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Send(HttpMethod.Patch, paths.PullRequest(repository, pullRequestId), AdoBridgeTransport.Json(request, AdoBridgeJsonContext.Default.UpdatePullRequestRequest), cancellationToken);
    }

    /// <summary>The reviewers, with their votes.</summary>
    public Task<AzureDevOpsPage> ListReviewersAsync(RepositoryRef repository, int pullRequestId, CancellationToken cancellationToken = default)
        => ConnectionActions.GetPageAsync(transport, $"{paths.PullRequest(repository, pullRequestId)}/reviewers", cancellationToken);

    /// <summary>Adds a reviewer by identity id; adding one again only changes whether they are required.</summary>
    public Task<JsonElement> AddReviewerAsync(RepositoryRef repository, int pullRequestId, string reviewerId, bool isRequired = false, CancellationToken cancellationToken = default)
        => Send(HttpMethod.Put, ReviewerPath(repository, pullRequestId, reviewerId), AdoBridgeTransport.Json(new AddReviewerBody(isRequired), AdoBridgeJsonContext.Default.AddReviewerBody), cancellationToken);

    /// <summary>Removes a reviewer.</summary>
    public Task RemoveReviewerAsync(RepositoryRef repository, int pullRequestId, string reviewerId, CancellationToken cancellationToken = default)
        => transport.SendAsync(HttpMethod.Delete, ReviewerPath(repository, pullRequestId, reviewerId), null, cancellationToken);

    /// <summary>Votes as the connection's own identity; returns the connection's reviewer entry.</summary>
    public Task<JsonElement> VoteAsync(RepositoryRef repository, int pullRequestId, PullRequestVote vote, CancellationToken cancellationToken = default)
        => Send(HttpMethod.Put, $"{paths.PullRequest(repository, pullRequestId)}/vote", AdoBridgeTransport.Json(new VoteBody((int)vote), AdoBridgeJsonContext.Default.VoteBody), cancellationToken);

    /// <summary>The comment threads.</summary>
    public Task<AzureDevOpsPage> ListThreadsAsync(RepositoryRef repository, int pullRequestId, CancellationToken cancellationToken = default)
        => ConnectionActions.GetPageAsync(transport, $"{paths.PullRequest(repository, pullRequestId)}/threads", cancellationToken);

    /// <summary>Starts a comment thread, optionally on a file and line.</summary>
    public Task<JsonElement> CreateThreadAsync(RepositoryRef repository, int pullRequestId, CreateThreadRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new CreateThreadBody(request.Content, request.Status, request.FilePath, request.Line);
        return Send(HttpMethod.Post, $"{paths.PullRequest(repository, pullRequestId)}/threads", AdoBridgeTransport.Json(body, AdoBridgeJsonContext.Default.CreateThreadBody), cancellationToken);
    }

    /// <summary>Replies in a thread (to its first comment unless <paramref name="parentCommentId"/> is given).</summary>
    public Task<JsonElement> ReplyAsync(RepositoryRef repository, int pullRequestId, int threadId, string content, int? parentCommentId = null, CancellationToken cancellationToken = default)
        => Send(HttpMethod.Post, $"{paths.PullRequest(repository, pullRequestId)}/threads/{threadId}/comments",
            AdoBridgeTransport.Json(new ReplyBody(content, parentCommentId), AdoBridgeJsonContext.Default.ReplyBody), cancellationToken);

    /// <summary>Sets a thread's status (see <see cref="ThreadStatus"/>): resolves, reopens or parks it.</summary>
    public Task<JsonElement> SetThreadStatusAsync(RepositoryRef repository, int pullRequestId, int threadId, string status, CancellationToken cancellationToken = default)
        => Send(HttpMethod.Patch, $"{paths.PullRequest(repository, pullRequestId)}/threads/{threadId}",
            AdoBridgeTransport.Json(new ThreadStatusBody(status), AdoBridgeJsonContext.Default.ThreadStatusBody), cancellationToken);

    /// <summary>Posts a status on the pull request (what code analysers report).</summary>
    public Task<JsonElement> PostStatusAsync(RepositoryRef repository, int pullRequestId, PostStatusRequest status, CancellationToken cancellationToken = default)
        => Send(HttpMethod.Post, $"{paths.PullRequest(repository, pullRequestId)}/statuses", StatusContent(status), cancellationToken);

    internal static JsonContent StatusContent(PostStatusRequest status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var body = new StatusBody(status.State, status.Description, status.TargetUrl, new StatusContextBody(status.ContextName, status.ContextGenre), status.IterationId);
        return AdoBridgeTransport.Json(body, AdoBridgeJsonContext.Default.StatusBody);
    }

    private string ReviewerPath(RepositoryRef repository, int pullRequestId, string reviewerId)
        => $"{paths.PullRequest(repository, pullRequestId)}/reviewers/{ApiPath.Segment(reviewerId)}";

    private Task<JsonElement> Send(HttpMethod method, string path, HttpContent content, CancellationToken cancellationToken)
        => transport.SendAsync(method, path, content, AdoBridgeJsonContext.Default.JsonElement, cancellationToken);
}
