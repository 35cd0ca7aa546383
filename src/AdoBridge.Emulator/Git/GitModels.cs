namespace AdoBridge.Emulator;

// Git data as the emulator stores it (mutable, serialised with the rest of the state; only touched under the state lock).

internal sealed class GitRepositoryData
{
    public Guid Id { get; set; }
    public string Organization { get; set; } = "";
    public Guid ProjectId { get; set; }
    public string Name { get; set; } = "";
    public string DefaultBranch { get; set; } = "refs/heads/main";

    /// <summary>Ref name ("refs/heads/main") → commit id.</summary>
    public Dictionary<string, string> Refs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Ref name → who created it.</summary>
    public Dictionary<string, Guid> RefCreators { get; set; } = new(StringComparer.Ordinal);
}

internal sealed class GitCommitData
{
    public string CommitId { get; set; } = "";
    public Guid RepositoryId { get; set; }
    public List<string> Parents { get; set; } = [];
    public string Comment { get; set; } = "";
    public string AuthorName { get; set; } = "";
    public string AuthorEmail { get; set; } = "";
    public DateTimeOffset Date { get; set; }

    /// <summary>Path → new content (null when the change deletes the file).</summary>
    public Dictionary<string, string?> Changes { get; set; } = new(StringComparer.Ordinal);
}

internal sealed class GitPushData
{
    public int PushId { get; set; }
    public Guid RepositoryId { get; set; }
    public Guid PushedBy { get; set; }
    public DateTimeOffset Date { get; set; }
    public List<GitRefUpdateData> RefUpdates { get; set; } = [];
    public List<string> CommitIds { get; set; } = [];
}

internal sealed record GitRefUpdateData(string Name, string OldObjectId, string NewObjectId);

/// <summary>A commit or pull request status (state, description, targetUrl, context genre/name).</summary>
internal sealed class GitStatusData
{
    public int Id { get; set; }
    public Guid RepositoryId { get; set; }
    public string? CommitId { get; set; }
    public int? PullRequestId { get; set; }
    public int? IterationId { get; set; }
    public string State { get; set; } = "notSet";
    public string? Description { get; set; }
    public string? TargetUrl { get; set; }
    public string Name { get; set; } = "";
    public string? Genre { get; set; }
    public Guid CreatedBy { get; set; }
    public DateTimeOffset CreationDate { get; set; }
}

/// <summary>A generated file of <see cref="Length"/> bytes served by the items API without holding it in memory (benchmarks).</summary>
public sealed record EmulatorSyntheticFile(Guid RepositoryId, string Path, long Length);
