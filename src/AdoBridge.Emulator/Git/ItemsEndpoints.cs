using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Items: one file (JSON metadata, JSON with content, or the raw bytes, chosen like the service by Accept,
/// $format and download) or a folder listing (recursionLevel). Synthetic files are generated while streaming.</summary>
internal static class ItemsEndpoints
{
    public static IResult Get(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call => state.Read(d =>
        {
            var id = call.Route("repositoryId")!;
            var repo = GitStore.FindRepository(d, call, id);
            if (repo is null)
            {
                return GitStore.RepositoryNotFound(id);
            }

            var path = Normalize(call.Query("path") ?? call.Query("scopePath") ?? "/");

            // Items - List (scopePath, no path) answers { count, value } even for one file; Items - Get (path) answers the item.
            var listing = call.Query("path") is null && call.Query("scopePath") is not null;
            var version = call.Query("versionDescriptor.version") ?? call.Query("version");
            var versionType = call.Query("versionDescriptor.versionType") ?? call.Query("versionType");
            var commitId = GitStore.ResolveVersion(d, repo, version, versionType);
            if (commitId is null)
            {
                return CommitsEndpoints.UnresolvableVersion(repo, version ?? repo.DefaultBranch);
            }

            var itemUrl = $"{GitJson.RepoUrl(call.OrgUrl, repo)}/items?path={Uri.EscapeDataString(path)}&versionType=Branch&versionOptions=None";
            var synthetic = d.SyntheticFiles.FirstOrDefault(f => f.RepositoryId == repo.Id && string.Equals(Normalize(f.Path), path, StringComparison.Ordinal));
            if (synthetic is not null)
            {
                var item = Item(path, commitId, itemUrl, "blob", null, synthetic.Length);
                return listing ? call.List(new[] { item })
                    : WantsRaw(call) ? new SyntheticFileResult(synthetic.Length, Download(call, path))
                    : DevOpsJson.Ok(item);
            }

            var tree = GitStore.Tree(d, commitId);
            if (tree.TryGetValue(path, out var content))
            {
                if (WantsRaw(call) && !listing)
                {
                    var bytes = GitContent.Bytes(content);
                    var contentType = (string?)http.Request.Headers.Accept is { } a && a.Contains("text/plain", StringComparison.OrdinalIgnoreCase) && !GitContent.IsBinary(content) ? "text/plain" : "application/octet-stream";
                    return Results.Bytes(bytes, contentType, Download(call, path));
                }

                var blob = Item(path, commitId, itemUrl, "blob", null, null);
                blob["objectId"] = GitContent.BlobId(content);
                if (call.QueryBool("includeContentMetadata") || call.QueryBool("includeContent"))
                {
                    blob["contentMetadata"] = new Dictionary<string, object?>
                    {
                        ["fileName"] = path.Split('/')[^1],
                        ["extension"] = Path.GetExtension(path).TrimStart('.') is { Length: > 0 } ext ? ext : null,
                        ["isBinary"] = GitContent.IsBinary(content) ? true : null,
                        ["encoding"] = GitContent.IsBinary(content) ? null : 65001,
                    };
                }

                if (call.QueryBool("includeContent"))
                {
                    // Binary content comes base64-encoded in JSON, as the service sends it.
                    blob["content"] = GitContent.IsBinary(content) ? Convert.ToBase64String(GitContent.Bytes(content)) : content;
                }

                return listing ? call.List(new[] { blob }) : DevOpsJson.Ok(blob);
            }

            var folder = path == "/" ? "/" : path + "/";
            var below = tree.Keys.Where(k => k.StartsWith(folder, StringComparison.Ordinal)).ToArray();
            if (below.Length == 0 && path != "/")
            {
                return DevOpsRoutes.NotFound(
                    "GitItemNotFoundException",
                    $"TF401174: The item '{path}' could not be found in the repository '{repo.Name}' at the version specified by '<Branch: {version ?? repo.DefaultBranch["refs/heads/".Length..]} >' (resolved to commit '{commitId}').");
            }

            var recursion = (call.Query("recursionLevel") ?? "none").ToLowerInvariant();
            var entries = new List<object> { Item(path, commitId, itemUrl, "tree", null, null) };
            if (recursion is "onelevel" or "full" or "1" or "120")
            {
                var children = recursion is "full" or "120"
                    ? below
                    : below.Select(k => folder + k[folder.Length..].Split('/')[0]).Distinct().ToArray();
                entries.AddRange(children.Select(k => (object)Item(k, commitId, $"{GitJson.RepoUrl(call.OrgUrl, repo)}/items?path={Uri.EscapeDataString(k)}", tree.ContainsKey(k) ? "blob" : "tree", null, null)));
            }

            return recursion == "none" && !listing ? DevOpsJson.Ok(entries[0]) : call.List(entries);
        }));

    private static string Normalize(string path) => "/" + path.Replace('\\', '/').Trim('/');

    private static bool WantsRaw(DevOpsCall call)
    {
        var format = call.Query("$format");
        if (format is not null)
        {
            return !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase);
        }

        if (call.QueryBool("download"))
        {
            return true;
        }

        var accept = call.Http.Request.Headers.Accept.ToString();
        return accept.Contains("octet-stream", StringComparison.OrdinalIgnoreCase) || accept.Contains("text/plain", StringComparison.OrdinalIgnoreCase) || accept.Contains("application/zip", StringComparison.OrdinalIgnoreCase);
    }

    private static string? Download(DevOpsCall call, string path) => call.QueryBool("download") ? path.Split('/')[^1] : null;

    private static Dictionary<string, object?> Item(string path, string commitId, string url, string type, string? content, long? size) => new()
    {
        ["objectId"] = GitStore.ObjectId(commitId + path),
        ["gitObjectType"] = type,
        ["commitId"] = commitId,
        ["path"] = path,
        ["isFolder"] = type == "tree" ? true : null,
        ["content"] = content,
        ["size"] = size,
        ["url"] = url,
    };
}

/// <summary>Streams <c>length</c> generated bytes in fixed-size chunks with Content-Length, holding only one chunk in memory.</summary>
internal sealed class SyntheticFileResult(long length, string? downloadName) : IResult
{
    private const int ChunkSize = 64 * 1024;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "application/octet-stream";
        response.ContentLength = length;
        if (downloadName is not null)
        {
            response.Headers.ContentDisposition = $"attachment; filename={downloadName}";
        }

        var chunk = new byte[ChunkSize];
        var line = "Fabrikam Fiber synthetic content for benchmarks. 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ\n"u8;
        for (var i = 0; i < chunk.Length; i++)
        {
            chunk[i] = line[i % line.Length];
        }

        var remaining = length;
        while (remaining > 0)
        {
            var count = (int)Math.Min(remaining, ChunkSize);
            await response.Body.WriteAsync(chunk.AsMemory(0, count), httpContext.RequestAborted);
            remaining -= count;
        }
    }
}
