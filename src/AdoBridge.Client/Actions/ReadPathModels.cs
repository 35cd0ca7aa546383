namespace AdoBridge.Client;

/// <summary>Which changes of a pull request to read.</summary>
public sealed record ChangedFilesQuery
{
    /// <summary>The iteration to read (1 is the pull request as created); the latest when null.</summary>
    public int? Iteration { get; init; }

    /// <summary>An earlier iteration to compare with; 0 or null compares with the target branch.</summary>
    public int? CompareTo { get; init; }

    /// <summary>Also compute each text file's unified diff from its content at both commits.</summary>
    public bool Diff { get; init; }
}

/// <summary>A pull request's changed files between two commits.</summary>
/// <param name="PullRequestId">The pull request.</param>
/// <param name="Iteration">The iteration read.</param>
/// <param name="CompareTo">The iteration compared with (0: the target branch).</param>
/// <param name="SourceCommit">The commit the changes lead to.</param>
/// <param name="BaseCommit">The commit they are compared with.</param>
/// <param name="Files">Each changed file.</param>
public sealed record ChangedFiles(int PullRequestId, int Iteration, int CompareTo, string? SourceCommit, string? BaseCommit, IReadOnlyList<ChangedFile> Files);

/// <summary>One changed file.</summary>
/// <param name="Path">Its path, e.g. /src/app.js.</param>
/// <param name="ChangeType">add, edit, delete, rename, … as Azure DevOps names them.</param>
/// <param name="OriginalPath">The path before a rename.</param>
/// <param name="ObjectId">The blob after the change (null when deleted).</param>
/// <param name="OriginalObjectId">The blob before the change (null when added).</param>
/// <param name="Binary">Whether the file is binary (known when a diff was asked for).</param>
/// <param name="Diff">The unified diff, when asked for and the file is text.</param>
/// <param name="DiffOmitted">Why there is no diff although one was asked for (binary file, too large, …).</param>
public sealed record ChangedFile(string Path, string ChangeType, string? OriginalPath, string? ObjectId, string? OriginalObjectId, bool? Binary, string? Diff, string? DiffOmitted);

/// <summary>A file's content at a version.</summary>
/// <param name="Path">Its path.</param>
/// <param name="CommitId">The commit it was read at.</param>
/// <param name="ObjectId">Its blob id.</param>
/// <param name="Binary">Whether it is binary; then <see cref="ContentBase64"/> holds it.</param>
/// <param name="Content">A text file's content.</param>
/// <param name="ContentBase64">A binary file's content, base64-encoded.</param>
public sealed record RepositoryFile(string Path, string? CommitId, string? ObjectId, bool Binary, string? Content, string? ContentBase64);

/// <summary>A build to queue.</summary>
/// <param name="DefinitionId">The build definition.</param>
public sealed record QueueBuildRequest(int DefinitionId)
{
    /// <summary>The branch (name or full ref); the definition's default when null.</summary>
    public string? Branch { get; init; }

    /// <summary>Queue-time variables.</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    /// <summary>Values for the pipeline's runtime (template) parameters.</summary>
    public IReadOnlyDictionary<string, string>? TemplateParameters { get; init; }
}

/// <summary>Which builds to list.</summary>
public sealed record BuildQuery
{
    /// <summary>Only builds of this definition.</summary>
    public int? DefinitionId { get; init; }

    /// <summary>Only builds of this branch (name or full ref).</summary>
    public string? Branch { get; init; }

    /// <summary>notStarted, inProgress, completed, cancelling, postponed or all.</summary>
    public string? Status { get; init; }

    /// <summary>At most this many (up to 1,000).</summary>
    public int? Top { get; init; }

    /// <summary>The previous page's <see cref="AzureDevOpsPage.ContinuationToken"/>; null for the first page.</summary>
    public string? ContinuationToken { get; init; }
}
