namespace AdoBridge.Emulator;

internal sealed class PullRequestData
{
    public int Id { get; set; }
    public Guid RepositoryId { get; set; }
    public string Status { get; set; } = "active";
    public Guid CreatedBy { get; set; }
    public DateTimeOffset CreationDate { get; set; }
    public DateTimeOffset? ClosedDate { get; set; }
    public Guid? ClosedBy { get; set; }
    public string Title { get; set; } = "";
    public string? Description { get; set; }
    public string SourceRefName { get; set; } = "";
    public string TargetRefName { get; set; } = "";
    public bool IsDraft { get; set; }
    public string MergeStatus { get; set; } = "succeeded";

    /// <summary>When the merge was queued (creation or a branch move); the merge succeeds once the emulator clock passes it.</summary>
    public DateTimeOffset? MergeQueuedAt { get; set; }
    public Guid MergeId { get; set; }
    public string LastMergeSourceCommit { get; set; } = "";
    public string LastMergeTargetCommit { get; set; } = "";
    public string? LastMergeCommit { get; set; }
    public Guid? AutoCompleteSetBy { get; set; }
    public Dictionary<string, object?>? CompletionOptions { get; set; }
    public List<string> Labels { get; set; } = [];
    public List<PullRequestReviewerData> Reviewers { get; set; } = [];
    public List<PullRequestThreadData> Threads { get; set; } = [];

    /// <summary>Source commit of each iteration (iteration n = index n-1); a push to the source branch adds one.</summary>
    public List<string> Iterations { get; set; } = [];
}

internal sealed class PullRequestReviewerData
{
    public Guid Id { get; set; }
    public int Vote { get; set; }
    public bool IsRequired { get; set; }
    public bool HasDeclined { get; set; }
    public bool IsFlagged { get; set; }
}

internal sealed class PullRequestThreadData
{
    public int Id { get; set; }
    public DateTimeOffset PublishedDate { get; set; }
    public DateTimeOffset LastUpdatedDate { get; set; }
    public string? Status { get; set; } = "active";
    public Dictionary<string, object?>? ThreadContext { get; set; }
    public Dictionary<string, object?> Properties { get; set; } = [];

    /// <summary>The people a system thread's properties refer to, by key ("1", "2", …).</summary>
    public Dictionary<string, Guid>? Identities { get; set; }
    public bool IsDeleted { get; set; }
    public List<PullRequestCommentData> Comments { get; set; } = [];
}

internal sealed class PullRequestCommentData
{
    public int Id { get; set; }
    public int ParentCommentId { get; set; }
    public Guid Author { get; set; }
    public string? Content { get; set; }
    public DateTimeOffset PublishedDate { get; set; }
    public DateTimeOffset LastUpdatedDate { get; set; }
    public DateTimeOffset LastContentUpdatedDate { get; set; }
    public string CommentType { get; set; } = "text";
    public bool IsDeleted { get; set; }
    public List<Guid> UsersLiked { get; set; } = [];
}
