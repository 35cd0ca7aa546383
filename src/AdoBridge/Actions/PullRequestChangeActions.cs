using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Actions;

/// <summary>
/// A pull request's changed files, what a review bot reads first: the changes of its latest iteration (or of one
/// iteration against another), each with its change type and path, and on request a unified diff of every text file
/// computed from its content at both commits.
/// </summary>
internal static class PullRequestChangeActions
{
    /// <summary>Files whose diff is computed per request, so a huge pull request cannot hold one for long.</summary>
    public const int MaxDiffFiles = 100;

    /// <summary>Files larger than this (in either version) are listed without a diff.</summary>
    public const int MaxDiffBytes = 1024 * 1024;

    internal sealed record ChangedFile(string Path, string ChangeType, string? OriginalPath, string? ObjectId, string? OriginalObjectId, bool? Binary, string? Diff, string? DiffOmitted);

    internal sealed record ChangedFiles(int PullRequestId, int Iteration, int CompareTo, string? SourceCommit, string? BaseCommit, IReadOnlyList<ChangedFile> Files);

    public static async Task<Results<Ok<ChangedFiles>, ProblemHttpResult>> ChangesAsync(
        string id, string org, string project, string repo, int pullRequestId, int? iteration, int? compareTo, bool? diff,
        ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        var invalid = ActionInput.Segments((project, "project"), (repo, "repo"))
            ?? ActionInput.Range(iteration, "iteration", 1, int.MaxValue)
            ?? ActionInput.Range(compareTo, "compareTo", 0, int.MaxValue)
            ?? (iteration is { } i && compareTo is { } c && c >= i ? ActionInput.Invalid("compareTo", "must name an earlier iteration than `iteration` (0 compares with the target branch).") : null);
        if (invalid is not null)
        {
            return invalid;
        }

        var (target, problem) = await caller.TargetAsync(user, id, org, ct);
        if (target is null)
        {
            return problem!;
        }

        var prPath = ActionInput.Path($"pullRequests/{pullRequestId}", project, "_apis", "git", "repositories", repo);
        var iterations = await caller.SendAsync(target, HttpMethod.Get, prPath + "/iterations", null, null, ct);
        if (iterations.Problem is not null)
        {
            return iterations.Problem;
        }

        var list = iterations.Json.TryGetProperty("value", out var v) ? v.EnumerateArray().ToList() : [];
        if (list.Count == 0)
        {
            return ActionInput.Invalid("pullRequestId", "has no iterations yet; try again once Azure DevOps has processed the pull request.");
        }

        var number = iteration ?? list.Count;
        var against = compareTo ?? 0;
        if (number > list.Count || against >= number)
        {
            return ActionInput.Invalid(number > list.Count ? "iteration" : "compareTo", $"the pull request has iterations 1 to {list.Count}.");
        }

        var current = list.First(x => x.GetProperty("id").GetInt32() == number);
        var source = CommitOf(current, "sourceRefCommit");
        var baseCommit = against == 0 ? CommitOf(current, "commonRefCommit") : CommitOf(list.First(x => x.GetProperty("id").GetInt32() == against), "sourceRefCommit");

        var entries = new List<JsonElement>();
        var skip = 0;
        while (true)
        {
            var page = await caller.SendAsync(target, HttpMethod.Get, $"{prPath}/iterations/{number}/changes",
                ActionInput.Query(("$top", 2000), ("$skip", skip), ("$compareTo", against)), null, ct);
            if (page.Problem is not null)
            {
                return page.Problem;
            }

            entries.AddRange(page.Json.TryGetProperty("changeEntries", out var e) ? e.EnumerateArray() : []);
            var nextSkip = page.Json.TryGetProperty("nextSkip", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt32() : 0;
            if (nextSkip <= skip || entries.Count >= 20000)
            {
                break;
            }

            skip = nextSkip;
        }

        var files = new List<ChangedFile>();
        foreach (var entry in entries)
        {
            var item = entry.TryGetProperty("item", out var it) ? it : default;
            var path = ActionInput.Text(item, "path") ?? ActionInput.Text(entry, "originalPath") ?? string.Empty;
            var changeType = ActionInput.Text(entry, "changeType") ?? "edit";
            var file = new ChangedFile(path, changeType, ActionInput.Text(entry, "originalPath") ?? ActionInput.Text(entry, "sourceServerItem"),
                ActionInput.Text(item, "objectId"), ActionInput.Text(item, "originalObjectId"), null, null, null);
            if (diff == true && ActionInput.Text(item, "gitObjectType") is null or "blob")
            {
                file = files.Count(f => f.Diff is not null || f.DiffOmitted is not null) >= MaxDiffFiles
                    ? file with { DiffOmitted = $"only the first {MaxDiffFiles} files are diffed per request" }
                    : await WithDiffAsync(caller, target, project, repo, file, source, baseCommit, ct);
            }

            files.Add(file);
        }

        return TypedResults.Ok(new ChangedFiles(pullRequestId, number, against, source, baseCommit, files));
    }

    private static async Task<ChangedFile> WithDiffAsync(ActionCaller caller, ActionTarget target, string project, string repo, ChangedFile file, string? source, string? baseCommit, CancellationToken ct)
    {
        var deleted = file.ChangeType.Contains("delete", StringComparison.OrdinalIgnoreCase);
        var added = file.ChangeType.Contains("add", StringComparison.OrdinalIgnoreCase);
        var after = deleted || source is null ? null : await ContentAsync(caller, target, project, repo, file.Path, source, ct);
        var before = added || baseCommit is null ? null : await ContentAsync(caller, target, project, repo, file.OriginalPath ?? file.Path, baseCommit, ct);
        if (after?.Problem is { } p1 || before?.Problem is { } p2)
        {
            return file with { DiffOmitted = "Azure DevOps did not return the file's content at both commits" };
        }

        if (after?.Binary == true || before?.Binary == true)
        {
            return file with { Binary = true, DiffOmitted = "binary file" };
        }

        if ((after?.Text?.Length ?? 0) > MaxDiffBytes || (before?.Text?.Length ?? 0) > MaxDiffBytes || UnifiedDiff.TooLarge(before?.Text, after?.Text))
        {
            return file with { Binary = false, DiffOmitted = "file too large to diff" };
        }

        return file with { Binary = false, Diff = UnifiedDiff.Create(file.Path, before?.Text, after?.Text) };
    }

    internal sealed record FileContent(string? Text, bool Binary, string? Base64, JsonElement Item, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Problem);

    /// <summary>A file at a commit, through the items API's JSON (content as text, or base64 for a binary file).</summary>
    internal static async Task<FileContent> ContentAsync(ActionCaller caller, ActionTarget target, string project, string repo, string path, string version, CancellationToken ct, string versionType = "commit")
    {
        var answer = await caller.SendAsync(target, HttpMethod.Get, ActionInput.Path("items", project, "_apis", "git", "repositories", repo),
            ActionInput.Query(("path", path), ("versionDescriptor.version", version), ("versionDescriptor.versionType", versionType), ("includeContent", "true"), ("includeContentMetadata", "true")), null, ct);
        if (answer.Problem is not null)
        {
            return new FileContent(null, false, null, default, answer.Problem);
        }

        var binary = answer.Json.TryGetProperty("contentMetadata", out var meta) && meta.TryGetProperty("isBinary", out var b) && b.ValueKind == JsonValueKind.True;
        var content = ActionInput.Text(answer.Json, "content");
        return binary
            ? new FileContent(null, true, content, answer.Json, null)
            : new FileContent(content ?? string.Empty, false, content is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(content)), answer.Json, null);
    }

    private static string? CommitOf(JsonElement iteration, string name)
        => iteration.TryGetProperty(name, out var c) ? ActionInput.Text(c, "commitId") : null;
}
