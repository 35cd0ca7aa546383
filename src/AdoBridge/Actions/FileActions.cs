using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Actions;

/// <summary>A file's content at a branch, tag or commit: text as it is, a binary file as base64.</summary>
internal static class FileActions
{
    private static readonly string[] VersionTypes = ["branch", "tag", "commit"];

    internal sealed record FileView(string Path, string? CommitId, string? ObjectId, bool Binary, string? Content, string? ContentBase64);

    public static async Task<Results<Ok<FileView>, ProblemHttpResult>> ContentAsync(
        string id, string org, string project, string repo, string? path, string? version, string? versionType, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        var kind = versionType ?? (version is { Length: 40 } && version.All(Uri.IsHexDigit) ? "commit" : "branch");
        var invalid = ActionInput.Segments((project, "project"), (repo, "repo"))
            ?? (string.IsNullOrWhiteSpace(path) || path.Length > 2048 || path.Any(char.IsControl) ? ActionInput.Invalid("path", "is required: the file's path in the repository, e.g. /src/app.js.") : null)
            ?? (!VersionTypes.Contains(kind, StringComparer.OrdinalIgnoreCase) ? ActionInput.Invalid("versionType", "must be branch, tag or commit.") : null);
        if (invalid is not null)
        {
            return invalid;
        }

        var (target, problem) = await caller.TargetAsync(user, id, org, ct);
        if (target is null)
        {
            return problem!;
        }

        var branch = version is not null && kind.Equals("branch", StringComparison.OrdinalIgnoreCase) && version.StartsWith("refs/heads/", StringComparison.Ordinal) ? version["refs/heads/".Length..] : version;
        var file = await PullRequestChangeActions.ContentAsync(caller, target, project, repo, path!, branch ?? string.Empty, ct, version is null ? "branch" : kind.ToLowerInvariant());
        if (file.Problem is not null)
        {
            return file.Problem;
        }

        if (file.Item.ValueKind == JsonValueKind.Object && file.Item.TryGetProperty("isFolder", out var folder) && folder.ValueKind == JsonValueKind.True)
        {
            return ActionInput.Invalid("path", "names a folder; give a file's path.");
        }

        return TypedResults.Ok(new FileView(ActionInput.Text(file.Item, "path") ?? path!, ActionInput.Text(file.Item, "commitId"), ActionInput.Text(file.Item, "objectId"),
            file.Binary, file.Binary ? null : file.Text, file.Binary ? file.Base64 : null));
    }
}
