using System.Security.Cryptography;
using System.Text;

namespace AdoBridge.Emulator;

/// <summary>Git operations on the stored data: lookups, commits, trees and history. Callers hold the state lock.</summary>
internal static class GitStore
{
    public const string ZeroId = "0000000000000000000000000000000000000000";

    public static GitRepositoryData? FindRepository(EmulatorData data, DevOpsCall call, string idOrName)
    {
        var project = call.RouteProject;
        return data.Repositories.FirstOrDefault(r =>
            string.Equals(r.Organization, call.Org.Name, StringComparison.OrdinalIgnoreCase) &&
            (project is null || r.ProjectId == project.Id) &&
            ((Guid.TryParse(idOrName, out var id) && r.Id == id) || string.Equals(r.Name, idOrName, StringComparison.OrdinalIgnoreCase)));
    }

    public static Microsoft.AspNetCore.Http.IResult RepositoryNotFound(string idOrName) => DevOpsRoutes.NotFound(
        "GitRepositoryNotFoundException",
        $"TF401019: The Git repository with name or identifier {idOrName} does not exist or you do not have permissions for the operation you are attempting.");

    /// <summary>A 40-hex-digit object id derived from text (Git's ids are SHA-1; any stable 160-bit digest looks the same to clients).</summary>
    public static string ObjectId(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 20));

    public static string NormalizeRef(string name) =>
        name.StartsWith("refs/", StringComparison.Ordinal) ? name : "refs/heads/" + name;

    public static GitCommitData AddCommit(EmulatorData data, Guid repositoryId, string? parent, string comment, EmulatorUser? author, DateTimeOffset date, IDictionary<string, string?> changes)
    {
        var text = new StringBuilder().Append(repositoryId).Append('\n').Append(parent).Append('\n').Append(comment).Append('\n').Append(date.UtcTicks);
        foreach (var (path, content) in changes)
        {
            text.Append('\n').Append(path).Append('=').Append(content);
        }

        // Unique even for identical content at the same tick: a real commit id would differ by its tree/time too.
        text.Append('\n').Append(data.Commits.Count);
        var commit = new GitCommitData
        {
            CommitId = ObjectId(text.ToString()),
            RepositoryId = repositoryId,
            Parents = parent is null ? [] : [parent],
            Comment = comment,
            AuthorName = author?.DisplayName ?? "Fabrikam Build",
            AuthorEmail = author?.UserPrincipalName ?? "build@fabrikam.onmicrosoft.com",
            Date = date,
            Changes = new Dictionary<string, string?>(changes, StringComparer.Ordinal),
        };
        data.Commits[commit.CommitId] = commit;
        return commit;
    }

    /// <summary>First-parent history from <paramref name="commitId"/>, newest first.</summary>
    public static List<GitCommitData> History(EmulatorData data, string commitId)
    {
        var result = new List<GitCommitData>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<string>();
        queue.Enqueue(commitId);
        while (queue.Count > 0)
        {
            var id = queue.Dequeue();
            if (!seen.Add(id) || !data.Commits.TryGetValue(id, out var commit))
            {
                continue;
            }

            result.Add(commit);
            foreach (var parent in commit.Parents)
            {
                queue.Enqueue(parent);
            }
        }

        return result.OrderByDescending(c => c.Date).ToList();
    }

    public static bool IsAncestor(EmulatorData data, string ancestor, string descendant) =>
        History(data, descendant).Any(c => string.Equals(c.CommitId, ancestor, StringComparison.OrdinalIgnoreCase));

    /// <summary>The files at a commit: changes applied from the oldest ancestor to the commit.</summary>
    public static SortedDictionary<string, string> Tree(EmulatorData data, string commitId)
    {
        var tree = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var commit in Enumerable.Reverse(History(data, commitId)))
        {
            foreach (var (path, content) in commit.Changes)
            {
                if (content is null)
                {
                    tree.Remove(path);
                }
                else
                {
                    tree[path] = content;
                }
            }
        }

        return tree;
    }

    /// <summary>Resolves versionDescriptor (branch, tag or commit; default: the default branch) to a commit id.</summary>
    public static string? ResolveVersion(EmulatorData data, GitRepositoryData repo, string? version, string? versionType)
    {
        if (string.IsNullOrEmpty(version))
        {
            return repo.Refs.GetValueOrDefault(repo.DefaultBranch);
        }

        return (versionType ?? "branch").ToLowerInvariant() switch
        {
            "commit" or "2" => data.Commits.TryGetValue(version, out var c) && c.RepositoryId == repo.Id ? c.CommitId : null,
            "tag" or "1" => repo.Refs.GetValueOrDefault("refs/tags/" + version),
            _ => repo.Refs.GetValueOrDefault(NormalizeRef(version)),
        };
    }

    /// <summary>The newest common ancestor of two commits (breadth first from <paramref name="a"/>), or null.</summary>
    public static string? MergeBase(EmulatorData data, string a, string b)
    {
        var ofB = History(data, b).Select(c => c.CommitId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<string>([a]);
        while (queue.Count > 0)
        {
            var id = queue.Dequeue();
            if (!seen.Add(id) || !data.Commits.TryGetValue(id, out var commit))
            {
                continue;
            }

            if (ofB.Contains(id))
            {
                return id;
            }

            foreach (var parent in commit.Parents)
            {
                queue.Enqueue(parent);
            }
        }

        return null;
    }

    /// <summary>Commits reachable from <paramref name="head"/> but not from <paramref name="exclude"/>, newest first.</summary>
    public static List<GitCommitData> Between(EmulatorData data, string head, string? exclude)
    {
        var excluded = exclude is null ? [] : History(data, exclude).Select(c => c.CommitId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return History(data, head).Where(c => !excluded.Contains(c.CommitId)).ToList();
    }

    /// <summary>What changed between two commits' trees, by path: add, edit or delete, with both contents.</summary>
    public static List<GitFileChange> Diff(EmulatorData data, string? from, string to)
    {
        var before = from is null ? new SortedDictionary<string, string>(StringComparer.Ordinal) : Tree(data, from);
        var after = Tree(data, to);
        var changes = new List<GitFileChange>();
        foreach (var path in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var old = before.GetValueOrDefault(path);
            var now = after.GetValueOrDefault(path);
            if (old == now)
            {
                continue;
            }

            changes.Add(new GitFileChange(path, old is null ? "add" : now is null ? "delete" : "edit", old, now));
        }

        return changes;
    }

    public static (int Add, int Edit, int Delete) ChangeCounts(EmulatorData data, GitCommitData commit)
    {
        var before = commit.Parents.Count > 0 ? Tree(data, commit.Parents[0]) : [];
        int add = 0, edit = 0, delete = 0;
        foreach (var (path, content) in commit.Changes)
        {
            if (content is null)
            {
                delete++;
            }
            else if (before.ContainsKey(path))
            {
                edit++;
            }
            else
            {
                add++;
            }
        }

        return (add, edit, delete);
    }
}

/// <summary>One file's change between two commits; contents as <see cref="GitContent"/> stores them.</summary>
internal sealed record GitFileChange(string Path, string ChangeType, string? OldContent, string? NewContent);
