using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdoBridge.Webhooks.Normalization;

/// <summary>git.pullrequest.created / .updated / .merged and ms.vss-code.git-pullrequest-comment-event (resource version
/// 2.0: {comment, pullRequest}) as pull_request.* events.</summary>
internal static class PullRequestEvents
{
    public static NormalizedEvent? Normalize(in HookInput input, out string? error)
    {
        if (!TryPullRequest(input, input.Resource, out var pullRequest, out var parts, out error))
        {
            return null;
        }

        var data = new JsonObject { ["pullRequest"] = pullRequest };
        if (input.Type == NormalizedEventTypes.PullRequestUpdated)
        {
            data["change"] = PullRequestChangeClassifier.Classify(input, parts.Title, parts.RepositoryName);
        }
        else if (input.Type == NormalizedEventTypes.PullRequestMerged)
        {
            var mergeResult = MergeResult(input, input.Resource);
            data["mergeResult"] = mergeResult;
            data["merged"] = mergeResult == "Succeeded";
        }

        return input.Event(parts.Organization, parts.ProjectId, parts.ProjectName, parts.RepositoryId, parts.RepositoryName, data);
    }

    public static NormalizedEvent? NormalizeComment(in HookInput input, out string? error)
    {
        if (!HookJson.TryObject(input.Resource, "comment", out var comment) || HookJson.Long(comment, "id") is not { } commentId)
        {
            error = input.Missing("comment with an id (the comment event needs resourceVersion 2.0)");
            return null;
        }

        if (!HookJson.TryObject(input.Resource, "pullRequest", out var pr))
        {
            error = input.Missing("pullRequest (the comment event needs resourceVersion 2.0)");
            return null;
        }

        if (!TryPullRequest(input, pr, out var pullRequest, out var parts, out error))
        {
            return null;
        }

        // The thread id is only in the comment's links (…/pullRequests/1/threads/5[/comments/2]).
        var threadId = HookJson.NumberAfter(HookJson.Str(comment, "_links", "threads", "href"), "/threads/")
            ?? HookJson.NumberAfter(HookJson.Str(comment, "_links", "self", "href"), "/threads/");
        var text = input.MessageText;
        var data = new JsonObject
        {
            ["comment"] = new JsonObject
            {
                ["id"] = commentId,
                ["threadId"] = threadId,
                ["parentCommentId"] = HookJson.Long(comment, "parentCommentId") is > 0 and var parent ? parent : null,
                ["content"] = HookJson.Str(comment, "content"),
                ["commentType"] = HookJson.Str(comment, "commentType"),
                ["author"] = HookJson.Identity(comment, "author"),
                ["publishedDate"] = HookJson.Str(comment, "publishedDate"),
                ["lastUpdatedDate"] = HookJson.Str(comment, "lastUpdatedDate"),
                // Only the message says whether this notification is for an edit ("has edited a pull request comment").
                ["edited"] = text is not null && text.Contains(" edited ", StringComparison.OrdinalIgnoreCase),
            },
            ["pullRequest"] = pullRequest,
        };
        return input.Event(parts.Organization, parts.ProjectId, parts.ProjectName, parts.RepositoryId, parts.RepositoryName, data);
    }

    /// <summary>Where a pull request lives, read once for the event's envelope fields and the classifier.</summary>
    private readonly record struct Parts(string? Organization, string? ProjectId, string? ProjectName, string RepositoryId, string? RepositoryName, string? Title);

    /// <summary>The compact pull request; essentials are pullRequestId and repository.id, everything else may be absent.</summary>
    private static bool TryPullRequest(in HookInput input, JsonElement pr, out JsonObject pullRequest, out Parts parts, out string? error)
    {
        pullRequest = null!;
        parts = default;
        if (HookJson.Long(pr, "pullRequestId") is not { } id)
        {
            error = input.Missing("pullRequestId");
            return false;
        }

        if (!HookJson.TryObject(pr, "repository", out var repository) || HookJson.Str(repository, "id") is not { } repositoryId)
        {
            error = input.Missing("repository with an id");
            return false;
        }

        var repositoryName = HookJson.Str(repository, "name");
        var apiUrl = HookJson.Str(pr, "url");
        var remoteUrl = HookJson.Str(repository, "remoteUrl");
        var title = HookJson.Str(pr, "title");
        var webUrl = HookJson.Str(pr, "_links", "web", "href") ?? (remoteUrl is null ? null : $"{remoteUrl}/pullrequest/{id}");
        pullRequest = new JsonObject
        {
            ["id"] = id,
            ["title"] = title,
        };
        if (HookJson.Str(pr, "description") is { } description)
        {
            pullRequest["description"] = description;
        }

        pullRequest["status"] = HookJson.Str(pr, "status");
        pullRequest["isDraft"] = HookJson.Bool(pr, "isDraft") ?? false;
        pullRequest["sourceBranch"] = HookJson.Str(pr, "sourceRefName");
        pullRequest["targetBranch"] = HookJson.Str(pr, "targetRefName");
        pullRequest["sourceCommit"] = HookJson.Str(pr, "lastMergeSourceCommit", "commitId");
        if (HookJson.Str(pr, "lastMergeTargetCommit", "commitId") is { } targetCommit)
        {
            pullRequest["targetCommit"] = targetCommit;
        }

        if (HookJson.Str(pr, "lastMergeCommit", "commitId") is { } mergeCommit)
        {
            pullRequest["mergeCommit"] = mergeCommit;
        }

        pullRequest["mergeStatus"] = HookJson.Str(pr, "mergeStatus");
        pullRequest["url"] = webUrl ?? apiUrl;
        pullRequest["createdBy"] = HookJson.Identity(pr, "createdBy");
        pullRequest["reviewers"] = Reviewers(pr);

        // The repository's project wins over resourceContainers.project: it comes with the project's name, and the two
        // disagree in Microsoft's samples (placeholder ids), where only the repository's matches the repository.
        HookJson.TryObject(repository, "project", out var project);
        var projectId = HookJson.Str(project, "id") ?? input.ContainerProjectId;
        var organization = input.Organization(HookJson.Str(repository, "url"), apiUrl, remoteUrl);
        parts = new Parts(organization, projectId, HookJson.Str(project, "name"), repositoryId, repositoryName, title);
        error = null;
        return true;
    }

    private static JsonArray Reviewers(JsonElement pr)
    {
        var reviewers = new JsonArray();
        if (HookJson.TryArray(pr, "reviewers", out var list))
        {
            foreach (var reviewer in list.EnumerateArray())
            {
                if (reviewer.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var entry = HookJson.Identity(reviewer);
                entry["vote"] = HookJson.Long(reviewer, "vote") ?? 0;
                entry["isRequired"] = HookJson.Bool(reviewer, "isRequired") ?? false;
                reviewers.Add(entry);
            }
        }

        return reviewers;
    }

    /// <summary>The mergeResult filter value (Succeeded, Unsuccessful, Conflicts, Failure, RejectedByPolicy) from the
    /// resource's mergeStatus (notSet, queued, conflicts, succeeded, rejectedByPolicy, failure), else from the detailed
    /// message's "Merge status:" line. A completed pull request without either was merged; anything else is Unsuccessful.</summary>
    private static string MergeResult(in HookInput input, JsonElement pr)
    {
        var status = HookJson.Str(pr, "mergeStatus") ?? StatusFromMessage(input);
        foreach (var known in (ReadOnlySpan<string>)["Succeeded", "Conflicts", "Failure", "RejectedByPolicy"])
        {
            if (HookJson.EqualsIgnoreCase(status, known))
            {
                return known;
            }
        }

        return status is null && HookJson.EqualsIgnoreCase(HookJson.Str(pr, "status"), "completed") ? "Succeeded" : "Unsuccessful";
    }

    private static string? StatusFromMessage(in HookInput input)
    {
        const string Marker = "Merge status: ";
        var text = HookJson.Str(input.Envelope, "detailedMessage", "text");
        var at = text?.IndexOf(Marker, StringComparison.OrdinalIgnoreCase) ?? -1;
        if (at < 0)
        {
            return null;
        }

        var rest = text.AsSpan(at + Marker.Length);
        var end = rest.IndexOfAny('\r', '\n');
        return (end < 0 ? rest : rest[..end]).Trim().ToString();
    }
}
