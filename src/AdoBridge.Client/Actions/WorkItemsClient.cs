using System.Globalization;
using System.Text.Json;

namespace AdoBridge.Client;

/// <summary>Work items of a connection's organisations: search, get, create, update, delete, comments.</summary>
public sealed class WorkItemsClient
{
    private readonly AdoBridgeTransport transport;
    private readonly ActionPaths paths;

    internal WorkItemsClient(AdoBridgeTransport transport, ActionPaths paths)
    {
        this.transport = transport;
        this.paths = paths;
    }

    /// <summary>Searches with WIQL or a structured filter; returns the work items and the WIQL that ran.</summary>
    public Task<WorkItemSearchResult> SearchAsync(ProjectRef project, WorkItemSearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        return transport.SendAsync(HttpMethod.Post, $"{paths.Project(project)}/work-items/search",
            AdoBridgeTransport.Json(search, AdoBridgeJsonContext.Default.WorkItemSearch), AdoBridgeJsonContext.Default.WorkItemSearchResult, cancellationToken);
    }

    /// <summary>Work items by id (up to 1000; AdoBridge fetches them 200 per Azure DevOps call); ids that do not exist are left out.</summary>
    public async Task<IReadOnlyList<JsonElement>> GetManyAsync(string organization, IEnumerable<int> ids, IEnumerable<string>? fields = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var path = ApiPath.WithQuery($"{paths.Organization(organization)}/work-items",
            ("ids", string.Join(',', ids.Select(i => i.ToString(CultureInfo.InvariantCulture)))), ("fields", fields is null ? null : string.Join(',', fields)));
        return (await transport.GetAsync(path, AdoBridgeJsonContext.Default.WorkItemListResponse, cancellationToken).ConfigureAwait(false)).Items;
    }

    /// <summary>A work item's updates: per revision, old and new field values, relations added and removed, who and when.</summary>
    public Task<AzureDevOpsPage> ListUpdatesAsync(string organization, int id, int? top = null, int? skip = null, CancellationToken cancellationToken = default)
        => ConnectionActions.GetPageAsync(transport, ApiPath.WithQuery($"{paths.Organization(organization)}/work-items/{id}/updates", ("top", top), ("skip", skip)), cancellationToken);

    /// <summary>The project's work item types with their states and fields.</summary>
    public Task<AzureDevOpsPage> ListTypesAsync(ProjectRef project, CancellationToken cancellationToken = default)
        => ConnectionActions.GetPageAsync(transport, $"{paths.Project(project)}/work-item-types", cancellationToken);

    /// <summary>One work item; <paramref name="expand"/> is none, relations, fields, links or all.</summary>
    public Task<JsonElement> GetAsync(string organization, int id, string? expand = null, CancellationToken cancellationToken = default)
        => transport.GetAsync(ApiPath.WithQuery(ItemPath(organization, id), ("expand", expand)), AdoBridgeJsonContext.Default.JsonElement, cancellationToken);

    /// <summary>Creates a work item from field values.</summary>
    public Task<JsonElement> CreateAsync(ProjectRef project, CreateWorkItemRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return transport.SendAsync(HttpMethod.Post, $"{paths.Project(project)}/work-items",
            AdoBridgeTransport.Json(request, AdoBridgeJsonContext.Default.CreateWorkItemRequest), AdoBridgeJsonContext.Default.JsonElement, cancellationToken);
    }

    /// <summary>Updates a work item with JSON Patch operations, applied by Azure DevOps all or none.</summary>
    public Task<JsonElement> UpdateAsync(string organization, int id, IEnumerable<WorkItemPatch> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return transport.SendAsync(HttpMethod.Patch, ItemPath(organization, id),
            AdoBridgeTransport.Json(operations.ToList(), AdoBridgeJsonContext.Default.ListWorkItemPatch), AdoBridgeJsonContext.Default.JsonElement, cancellationToken);
    }

    /// <summary>Deletes a work item (to the recycle bin); returns Azure DevOps' delete record.</summary>
    public Task<JsonElement> DeleteAsync(string organization, int id, CancellationToken cancellationToken = default)
        => transport.SendAsync(HttpMethod.Delete, ItemPath(organization, id), null, AdoBridgeJsonContext.Default.JsonElement, cancellationToken);

    /// <summary>One page of a work item's comments, newest first unless <see cref="CommentQuery.Order"/> is asc.</summary>
    public Task<AzureDevOpsPage> ListCommentsAsync(ProjectRef project, int workItemId, CommentQuery? query = null, CancellationToken cancellationToken = default)
        => ConnectionActions.GetPageAsync(transport, ApiPath.WithQuery(CommentsPath(project, workItemId),
            ("top", query?.Top), ("continuationToken", query?.ContinuationToken), ("order", query?.Order)), cancellationToken);

    /// <summary>Every comment of a work item, page after page as you enumerate.</summary>
    public IAsyncEnumerable<JsonElement> ListAllCommentsAsync(ProjectRef project, int workItemId, string? order = null, int? pageSize = null, CancellationToken cancellationToken = default)
        => ConnectionActions.ListAllAsync(
            page => ListCommentsAsync(project, workItemId, new CommentQuery { Top = page.Top, ContinuationToken = page.ContinuationToken, Order = order }, cancellationToken),
            pageSize, cancellationToken);

    /// <summary>Adds a comment (HTML, or Markdown with <paramref name="format"/> "markdown").</summary>
    public Task<JsonElement> AddCommentAsync(ProjectRef project, int workItemId, string text, string? format = null, CancellationToken cancellationToken = default)
        => transport.SendAsync(HttpMethod.Post, CommentsPath(project, workItemId),
            AdoBridgeTransport.Json(new CommentBody(text, format), AdoBridgeJsonContext.Default.CommentBody), AdoBridgeJsonContext.Default.JsonElement, cancellationToken);

    private string ItemPath(string organization, int id) => $"{paths.Organization(organization)}/work-items/{id}";

    private string CommentsPath(ProjectRef project, int workItemId) => $"{paths.Project(project)}/work-items/{workItemId}/comments";
}
