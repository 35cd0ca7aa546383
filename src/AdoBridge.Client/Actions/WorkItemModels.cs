using System.Text.Json;

namespace AdoBridge.Client;

/// <summary>
/// A work item search: either <see cref="Wiql"/>, or the structured filter, which AdoBridge turns into WIQL with every
/// value escaped (so user text cannot change the query).
/// </summary>
public sealed record WorkItemSearch
{
    /// <summary>A WIQL query, run as given.</summary>
    public string? Wiql { get; init; }

    /// <summary>Work item type, e.g. Bug.</summary>
    public string? Type { get; init; }

    /// <summary>State, e.g. Active.</summary>
    public string? State { get; init; }

    /// <summary>Assigned to: a name, an e-mail, or @me.</summary>
    public string? AssignedTo { get; init; }

    /// <summary>Text the title contains.</summary>
    public string? TitleContains { get; init; }

    /// <summary>Tags the item has (all of them).</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>At most this many items (up to 1000).</summary>
    public int? Top { get; init; }
}

/// <summary>Work items found by a search, and the WIQL that found them.</summary>
/// <param name="Items">The work items, as Azure DevOps sent them.</param>
/// <param name="Wiql">The WIQL that ran.</param>
public sealed record WorkItemSearchResult(IReadOnlyList<JsonElement> Items, string Wiql);

/// <summary>A new work item.</summary>
public sealed record CreateWorkItemRequest
{
    /// <summary>The work item type, e.g. Task or Bug.</summary>
    public required string Type { get; init; }

    /// <summary>Field reference names and values, e.g. System.Title → <see cref="AzureDevOpsValue.From(string)"/>.</summary>
    public required IReadOnlyDictionary<string, JsonElement> Fields { get; init; }
}

/// <summary>One JSON Patch operation on a work item, e.g. <c>WorkItemPatch.Replace("/fields/System.State", AzureDevOpsValue.From("Active"))</c>.</summary>
/// <param name="Op">add, replace, remove, test, copy or move.</param>
/// <param name="Path">The target, e.g. /fields/System.Title or /relations/-.</param>
/// <param name="Value">The value (not for remove).</param>
/// <param name="From">The source path (copy and move).</param>
public sealed record WorkItemPatch(string Op, string Path, JsonElement? Value = null, string? From = null)
{
    /// <summary>Sets a field (adds it when absent).</summary>
    public static WorkItemPatch Add(string path, JsonElement value) => new("add", path, value);

    /// <summary>Replaces a field's value.</summary>
    public static WorkItemPatch Replace(string path, JsonElement value) => new("replace", path, value);

    /// <summary>Removes a field or relation.</summary>
    public static WorkItemPatch Remove(string path) => new("remove", path);

    /// <summary>Fails the whole update unless the value is as given (e.g. /rev, to update only the revision you read).</summary>
    public static WorkItemPatch Test(string path, JsonElement value) => new("test", path, value);
}

/// <summary>Paging and order for a work item's comments.</summary>
public sealed record CommentQuery
{
    /// <summary>Page size, 1 to 200.</summary>
    public int? Top { get; init; }

    /// <summary>A previous page's continuation token.</summary>
    public string? ContinuationToken { get; init; }

    /// <summary>asc (oldest first) or desc (newest first, the default).</summary>
    public string? Order { get; init; }
}

/// <summary>A pipeline run to queue.</summary>
public sealed record RunPipelineRequest
{
    /// <summary>The branch to run on (name or full ref); the pipeline's default branch when null.</summary>
    public string? Branch { get; init; }

    /// <summary>Values for the pipeline's runtime (template) parameters.</summary>
    public IReadOnlyDictionary<string, string>? TemplateParameters { get; init; }

    /// <summary>Variables settable at queue time.</summary>
    public IReadOnlyDictionary<string, PipelineVariable>? Variables { get; init; }
}

/// <summary>A variable for a pipeline run.</summary>
/// <param name="Value">Its value.</param>
/// <param name="IsSecret">Whether Azure DevOps must treat it as a secret (masked in logs, never returned).</param>
public sealed record PipelineVariable(string Value, bool IsSecret = false)
{
    /// <summary>Describes the variable, without the value when it is secret.</summary>
    public override string ToString() => $"PipelineVariable {{ Value = {(IsSecret ? "***" : Value)}, IsSecret = {IsSecret} }}";
}

internal sealed record WorkItemListResponse(IReadOnlyList<JsonElement> Items);

internal sealed record CommentBody(string Text, string? Format);
