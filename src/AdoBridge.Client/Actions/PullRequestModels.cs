namespace AdoBridge.Client;

/// <summary>Filters and paging for listing pull requests; every filter is optional.</summary>
public sealed record PullRequestQuery
{
    /// <summary>active (the default), abandoned, completed or all.</summary>
    public string? Status { get; init; }

    /// <summary>Only pull requests created by this identity id.</summary>
    public string? CreatorId { get; init; }

    /// <summary>Only pull requests with this reviewer (identity id).</summary>
    public string? ReviewerId { get; init; }

    /// <summary>Only from this branch (name or full ref).</summary>
    public string? SourceRef { get; init; }

    /// <summary>Only into this branch (name or full ref).</summary>
    public string? TargetRef { get; init; }

    /// <summary>Page size, 1 to 1000.</summary>
    public int? Top { get; init; }

    /// <summary>How many to skip (Azure DevOps pages pull requests by offset).</summary>
    public int? Skip { get; init; }
}

/// <summary>A new pull request.</summary>
public sealed record CreatePullRequestRequest
{
    /// <summary>The branch to merge from: a name (feature/x) or a full ref (refs/heads/feature/x).</summary>
    public required string SourceRef { get; init; }

    /// <summary>The branch to merge into.</summary>
    public required string TargetRef { get; init; }

    /// <summary>The title (up to 400 characters).</summary>
    public required string Title { get; init; }

    /// <summary>The description, Markdown.</summary>
    public string? Description { get; init; }

    /// <summary>Create it as a draft.</summary>
    public bool? IsDraft { get; init; }

    /// <summary>Reviewers' identity ids.</summary>
    public IReadOnlyList<string>? Reviewers { get; init; }
}

/// <summary>Changes to a pull request; only what is set is changed.</summary>
public sealed record UpdatePullRequestRequest
{
    /// <summary>A new title.</summary>
    public string? Title { get; init; }

    /// <summary>A new description.</summary>
    public string? Description { get; init; }

    /// <summary><see cref="PullRequestStatus.Completed"/> merges now, <see cref="PullRequestStatus.Abandoned"/> closes, <see cref="PullRequestStatus.Active"/> reactivates.</summary>
    public string? Status { get; init; }

    /// <summary>true makes it a draft, false publishes it.</summary>
    public bool? IsDraft { get; init; }

    /// <summary>true merges it (as the connection's identity) once its policies pass; false cancels that.</summary>
    public bool? AutoComplete { get; init; }

    /// <summary>How to merge, with <see cref="Status"/> completed or <see cref="AutoComplete"/> true.</summary>
    public CompletionOptions? CompletionOptions { get; init; }
}

/// <summary>How a pull request is merged when it completes.</summary>
public sealed record CompletionOptions
{
    /// <summary>noFastForward, squash, rebase or rebaseMerge (see <see cref="MergeStrategies"/>).</summary>
    public string? MergeStrategy { get; init; }

    /// <summary>Delete the source branch after the merge.</summary>
    public bool? DeleteSourceBranch { get; init; }

    /// <summary>The merge commit's message.</summary>
    public string? MergeCommitMessage { get; init; }

    /// <summary>Move linked work items to their next state.</summary>
    public bool? TransitionWorkItems { get; init; }

    /// <summary>Complete even if policies fail (needs the permission to).</summary>
    public bool? BypassPolicy { get; init; }

    /// <summary>Why policies were bypassed.</summary>
    public string? BypassReason { get; init; }
}

/// <summary>Pull request statuses for <see cref="UpdatePullRequestRequest.Status"/>.</summary>
public static class PullRequestStatus
{
    /// <summary>Open (reactivates an abandoned pull request).</summary>
    public const string Active = "active";

    /// <summary>Closed without merging.</summary>
    public const string Abandoned = "abandoned";

    /// <summary>Merged.</summary>
    public const string Completed = "completed";
}

/// <summary>Merge strategies for <see cref="CompletionOptions.MergeStrategy"/>.</summary>
public static class MergeStrategies
{
    /// <summary>A merge commit.</summary>
    public const string NoFastForward = "noFastForward";

    /// <summary>One squashed commit.</summary>
    public const string Squash = "squash";

    /// <summary>Rebase and fast-forward.</summary>
    public const string Rebase = "rebase";

    /// <summary>Rebase, then a merge commit.</summary>
    public const string RebaseMerge = "rebaseMerge";
}

/// <summary>A reviewer's vote, with Azure DevOps' numbers.</summary>
public enum PullRequestVote
{
    /// <summary>Rejected (-10).</summary>
    Reject = -10,

    /// <summary>Waiting for the author (-5).</summary>
    WaitForAuthor = -5,

    /// <summary>No vote (0); resets a vote.</summary>
    NoVote = 0,

    /// <summary>Approved with suggestions (5).</summary>
    ApproveWithSuggestions = 5,

    /// <summary>Approved (10).</summary>
    Approve = 10,
}

/// <summary>Comment thread statuses; fixed, wontFix, closed and byDesign count as resolved.</summary>
public static class ThreadStatus
{
    /// <summary>Open.</summary>
    public const string Active = "active";

    /// <summary>Resolved: fixed.</summary>
    public const string Fixed = "fixed";

    /// <summary>Resolved: will not fix.</summary>
    public const string WontFix = "wontFix";

    /// <summary>Resolved: closed.</summary>
    public const string Closed = "closed";

    /// <summary>Resolved: by design.</summary>
    public const string ByDesign = "byDesign";

    /// <summary>Pending.</summary>
    public const string Pending = "pending";
}

/// <summary>A new comment thread, optionally on a file and line.</summary>
public sealed record CreateThreadRequest
{
    /// <summary>The first comment, Markdown.</summary>
    public required string Content { get; init; }

    /// <summary>The thread's status (see <see cref="ThreadStatus"/>); active by default.</summary>
    public string? Status { get; init; }

    /// <summary>The file the thread is on, e.g. /src/app.cs.</summary>
    public string? FilePath { get; init; }

    /// <summary>The line in the new version of the file (needs <see cref="FilePath"/>).</summary>
    public int? Line { get; init; }
}

/// <summary>A status (what CI systems and code analysers report) on a pull request or commit.</summary>
public sealed record PostStatusRequest
{
    /// <summary>error, failed, notApplicable, notSet, pending or succeeded.</summary>
    public required string State { get; init; }

    /// <summary>The status' name; a newer status with the same genre and name supersedes the older one.</summary>
    public required string ContextName { get; init; }

    /// <summary>The status' genre, e.g. your product's name.</summary>
    public string? ContextGenre { get; init; }

    /// <summary>A short description.</summary>
    public string? Description { get; init; }

    /// <summary>Where the details are.</summary>
    public string? TargetUrl { get; init; }

    /// <summary>The pull request iteration the status is about (pull request statuses only).</summary>
    public int? IterationId { get; init; }
}

/// <summary>Paging and filters for a commit's statuses.</summary>
public sealed record CommitStatusQuery
{
    /// <summary>Page size, 1 to 1000.</summary>
    public int? Top { get; init; }

    /// <summary>How many to skip.</summary>
    public int? Skip { get; init; }

    /// <summary>Only the newest status per genre and name.</summary>
    public bool? LatestOnly { get; init; }
}

internal sealed record CreateThreadBody(string Content, string? Status, string? FilePath, int? Line);

internal sealed record ReplyBody(string Content, int? ParentCommentId);

internal sealed record ThreadStatusBody(string Status);

internal sealed record StatusContextBody(string Name, string? Genre);

internal sealed record StatusBody(string State, string? Description, string? TargetUrl, StatusContextBody Context, int? IterationId);

internal sealed record AddReviewerBody(bool IsRequired);

internal sealed record VoteBody(int Vote);
