using System.Globalization;

namespace AdoBridge.Emulator;

/// <summary>The threads Azure DevOps itself adds to a pull request when a reviewer votes, reviewers change, the status
/// changes or the source branch moves: one system comment, properties.CodeReviewThreadType naming the kind, and the
/// people involved in `identities` (properties refer to them by key, e.g. CodeReviewVotedByIdentity "1").</summary>
internal static class SystemThreads
{
    public static void Vote(EmulatorData d, PullRequestData pr, Guid voter, int vote, DateTimeOffset now) =>
        Add(d, pr, voter, now, $"{Name(d, voter)} voted {vote.ToString(CultureInfo.InvariantCulture)}", "VoteUpdate", new()
        {
            ["CodeReviewVoteResult"] = vote.ToString(CultureInfo.InvariantCulture),
            ["CodeReviewVotedByIdentity"] = "1",
            ["CodeReviewVotedByInitiatorIdentity"] = "1",
        }, voter);

    public static void Reviewers(EmulatorData d, PullRequestData pr, Guid by, IReadOnlyList<Guid> added, IReadOnlyList<Guid> removed, DateTimeOffset now)
    {
        if (added.Count == 0 && removed.Count == 0)
        {
            return;
        }

        var people = new List<Guid> { by };
        var properties = new Dictionary<string, string>
        {
            ["CodeReviewReviewersUpdatedNumAdded"] = added.Count.ToString(CultureInfo.InvariantCulture),
            ["CodeReviewReviewersUpdatedNumRemoved"] = removed.Count.ToString(CultureInfo.InvariantCulture),
            ["CodeReviewReviewersUpdatedNumChangedToRequired"] = "0",
            ["CodeReviewReviewersUpdatedNumChangedToOptional"] = "0",
            ["CodeReviewReviewersUpdatedNumDeclined"] = "0",
            ["CodeReviewReviewersUpdatedByIdentity"] = "1",
        };
        for (var i = 0; i < added.Count; i++)
        {
            people.Add(added[i]);
            properties[$"CodeReviewReviewersUpdatedAddedIdentity{(i == 0 ? string.Empty : i.ToString(CultureInfo.InvariantCulture))}"] = people.Count.ToString(CultureInfo.InvariantCulture);
        }

        for (var i = 0; i < removed.Count; i++)
        {
            people.Add(removed[i]);
            properties[$"CodeReviewReviewersUpdatedRemovedIdentity{(i == 0 ? string.Empty : i.ToString(CultureInfo.InvariantCulture))}"] = people.Count.ToString(CultureInfo.InvariantCulture);
        }

        var text = added.Count > 0
            ? $"{Name(d, by)} added {string.Join(", ", added.Select(a => Name(d, a)))} as {(added.Count == 1 ? "a reviewer" : "reviewers")}"
            : $"{Name(d, by)} removed {string.Join(", ", removed.Select(a => Name(d, a)))} from the reviewers";
        Add(d, pr, by, now, text, "ReviewersUpdate", properties, [.. people]);
    }

    /// <summary><paramref name="status"/> is Active, Abandoned or Completed, as CodeReviewStatus shows it.</summary>
    public static void Status(EmulatorData d, PullRequestData pr, Guid by, string status, DateTimeOffset now) =>
        Add(d, pr, by, now, $"{Name(d, by)} {(status == "Active" ? "reactivated" : status.ToLowerInvariant())} the pull request", "StatusUpdate", new()
        {
            ["CodeReviewStatus"] = status,
            ["CodeReviewStatusUpdatedByIdentity"] = "1",
        }, by);

    public static void RefUpdate(EmulatorData d, PullRequestData pr, Guid by, int newCommits, string head, DateTimeOffset now) =>
        Add(d, pr, by, now, $"{Name(d, by)} updated the pull request with {newCommits.ToString(CultureInfo.InvariantCulture)} new commit{(newCommits == 1 ? string.Empty : "s")}", "RefUpdate", new()
        {
            ["CodeReviewRefUpdatedByIdentity"] = "1",
            ["CodeReviewRefNewCommits"] = newCommits.ToString(CultureInfo.InvariantCulture),
            ["CodeReviewRefNewHeadCommit"] = head,
            ["CodeReviewRefUpdateIteration"] = pr.Iterations.Count.ToString(CultureInfo.InvariantCulture),
        }, by);

    private static void Add(EmulatorData d, PullRequestData pr, Guid author, DateTimeOffset now, string content, string type, Dictionary<string, string> properties, params Guid[] identities)
    {
        var props = new Dictionary<string, object?> { ["CodeReviewThreadType"] = Typed(type) };
        foreach (var (key, value) in properties)
        {
            props[key] = Typed(value);
        }

        pr.Threads.Add(new PullRequestThreadData
        {
            Id = d.NextId("thread"),
            PublishedDate = now,
            LastUpdatedDate = now,
            Status = null,
            Properties = props,
            Identities = identities.Select((id, i) => (id, i)).ToDictionary(x => (x.i + 1).ToString(CultureInfo.InvariantCulture), x => x.id),
            Comments =
            [
                new PullRequestCommentData { Id = 1, Author = author, Content = content, PublishedDate = now, LastUpdatedDate = now, LastContentUpdatedDate = now, CommentType = "system" },
            ],
        });
    }

    private static Dictionary<string, string> Typed(string value) => new() { ["$type"] = "System.String", ["$value"] = value };

    private static string Name(EmulatorData d, Guid id) => d.Users.FirstOrDefault(u => u.Id == id)?.DisplayName ?? id.ToString();
}
