using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Repositories (list per organisation or project, get by id or name) and refs (list with filter and paging, update).</summary>
internal static class RepositoriesEndpoints
{
    public static IResult List(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call =>
        {
            if (call.HasRouteProject && call.RouteProject is null)
            {
                return call.ProjectNotFound();
            }

            var project = call.RouteProject;
            return state.Read(d => call.List(d.Repositories
                .Where(r => string.Equals(r.Organization, call.Org.Name, StringComparison.OrdinalIgnoreCase) && (project is null || r.ProjectId == project.Id))
                .OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
                .Select(r => GitJson.Repository(call.OrgUrl, call.Org, r, d))
                .ToArray()));
        });

    public static IResult Get(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call => state.Read(d =>
        {
            var id = call.Route("repositoryId")!;
            var repo = GitStore.FindRepository(d, call, id);
            if (repo is null)
            {
                return GitStore.RepositoryNotFound(id);
            }

            var json = GitJson.Repository(call.OrgUrl, call.Org, repo, d);
            var url = (string)json["url"]!;
            json["_links"] = new Dictionary<string, object>
            {
                ["self"] = DevOpsJson.Href(url),
                ["project"] = DevOpsJson.Href($"{call.OrgUrl}/_apis/projects/{repo.ProjectId}"),
                ["web"] = DevOpsJson.Href((string)json["webUrl"]!),
                ["commits"] = DevOpsJson.Href($"{url}/commits"),
                ["refs"] = DevOpsJson.Href($"{url}/refs"),
                ["pullRequests"] = DevOpsJson.Href($"{url}/pullRequests"),
                ["items"] = DevOpsJson.Href($"{url}/items"),
                ["pushes"] = DevOpsJson.Href($"{url}/pushes"),
            };
            return DevOpsJson.Ok(json);
        }));

    /// <summary>`filter` is a prefix after "refs/" (e.g. "heads/"), `filterContains` a substring; paged by `$top` and an opaque token.</summary>
    public static IResult Refs(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call => state.Read(d =>
        {
            var id = call.Route("repositoryId")!;
            var repo = GitStore.FindRepository(d, call, id);
            if (repo is null)
            {
                return GitStore.RepositoryNotFound(id);
            }

            var prefix = "refs/" + (call.Query("filter") ?? string.Empty);
            var contains = call.Query("filterContains");
            var all = repo.Refs
                .Where(r => r.Key.StartsWith(prefix, StringComparison.Ordinal) && (contains is null || r.Key.Contains(contains, StringComparison.OrdinalIgnoreCase)))
                .OrderBy(r => r.Key, StringComparer.Ordinal)
                .ToArray();
            var skip = 0;
            if (call.Query("continuationToken") is { } token)
            {
                // The token is the last ref name returned, base64url-encoded: opaque to clients, stable under inserts.
                string last;
                try
                {
                    last = System.Text.Encoding.UTF8.GetString(Secrets.FromBase64Url(token));
                }
                catch (FormatException)
                {
                    return DevOpsErrors.Json(StatusCodes.Status400BadRequest, "InvalidContinuationTokenException", $"The continuation token '{token}' is not valid.");
                }

                skip = all.Count(r => string.CompareOrdinal(r.Key, last) <= 0);
            }

            var top = call.QueryInt("$top") is { } t and > 0 ? t : int.MaxValue;
            var page = all.Skip(skip).Take(top).ToArray();
            var next = skip + page.Length < all.Length && page.Length > 0 ? Secrets.Base64Url(System.Text.Encoding.UTF8.GetBytes(page[^1].Key)) : null;
            return call.List(page.Select(r => GitJson.Ref(call, d, repo, r.Key, r.Value)).ToArray(), next);
        }));

    /// <summary>Creates, moves or deletes refs: [{name, oldObjectId, newObjectId}] (zero id = create/delete).</summary>
    public static Task<IResult> UpdateRefs(HttpContext http, EmulatorState state) =>
        DevOpsApi.RunAsync(http, state, "vso.code_write", async call =>
        {
            var (body, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            if (body.ValueKind != System.Text.Json.JsonValueKind.Array)
            {
                return DevOpsRoutes.BadRequest("The request body must be an array of ref updates.");
            }

            return state.Write(d =>
            {
                var id = call.Route("repositoryId")!;
                var repo = GitStore.FindRepository(d, call, id);
                if (repo is null)
                {
                    return GitStore.RepositoryNotFound(id);
                }

                var results = new List<object>();
                foreach (var update in body.EnumerateArray())
                {
                    var name = GitStore.NormalizeRef(DevOpsJson.Str(update, "name") ?? string.Empty);
                    var oldId = DevOpsJson.Str(update, "oldObjectId") ?? GitStore.ZeroId;
                    var newId = DevOpsJson.Str(update, "newObjectId") ?? GitStore.ZeroId;
                    var current = repo.Refs.GetValueOrDefault(name, GitStore.ZeroId);
                    var ok = string.Equals(current, oldId, StringComparison.OrdinalIgnoreCase) && (newId == GitStore.ZeroId || d.Commits.ContainsKey(newId));
                    if (ok)
                    {
                        if (newId == GitStore.ZeroId)
                        {
                            repo.Refs.Remove(name);
                        }
                        else
                        {
                            repo.Refs[name] = newId;
                            repo.RefCreators.TryAdd(name, call.Caller.Id);
                        }
                    }

                    results.Add(new Dictionary<string, object?>
                    {
                        ["repositoryId"] = repo.Id,
                        ["name"] = name,
                        ["oldObjectId"] = oldId,
                        ["newObjectId"] = newId,
                        ["isLocked"] = false,
                        ["success"] = ok,
                        ["updateStatus"] = ok ? "succeeded" : (current == oldId ? "invalidRefName" : "staleOldObjectId"),
                        ["customMessage"] = null,
                    });
                }

                return call.List(results);
            });
        });
}
