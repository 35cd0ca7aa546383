using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Pull requests: list (repository, project or organisation) with searchCriteria, get, create, update (title,
/// description, draft, status: completed merges, abandoned closes; autoComplete and completionOptions).</summary>
internal static class PullRequestsEndpoints
{
    public static IResult List(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call => state.Read(d =>
        {
            var repoId = call.Route("repositoryId")!;
            var repo = GitStore.FindRepository(d, call, repoId);
            return repo is null
                ? GitStore.RepositoryNotFound(repoId)
                : call.List(PullRequestStore.Search(d.PullRequests.Where(p => p.RepositoryId == repo.Id), call).Select(p => PullRequestJson.PullRequest(call, d, p)).ToArray());
        }));

    public static IResult ListByProject(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call =>
            call.HasRouteProject && call.RouteProject is null
                ? call.ProjectNotFound()
                : state.Read(d => call.List(PullRequestStore.Search(PullRequestStore.InScope(d, call), call).Select(p => PullRequestJson.PullRequest(call, d, p)).ToArray())));

    public static IResult GetById(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call => state.Read(d =>
        {
            var id = int.Parse(call.Route("pullRequestId")!, CultureInfo.InvariantCulture);
            var pr = PullRequestStore.InScope(d, call).FirstOrDefault(p => p.Id == id);
            return pr is null ? PullRequestStore.NotFound() : DevOpsJson.Ok(PullRequestJson.PullRequest(call, d, pr, links: true));
        }));

    public static IResult Get(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call => state.Read(d =>
        {
            var (_, pr, error) = PullRequestStore.Resolve(d, call);
            return error ?? DevOpsJson.Ok(PullRequestJson.PullRequest(call, d, pr!, links: true));
        }));

    public static Task<IResult> Create(HttpContext http, EmulatorState state) =>
        DevOpsApi.RunAsync(http, state, "vso.code_write", async call =>
        {
            var (body, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            var source = DevOpsJson.Str(body, "sourceRefName");
            var target = DevOpsJson.Str(body, "targetRefName");
            if (string.IsNullOrWhiteSpace(source) || string.IsNullOrWhiteSpace(target))
            {
                return DevOpsRoutes.BadRequest($"Value cannot be null.\r\nParameter name: {(string.IsNullOrWhiteSpace(source) ? "sourceRefName" : "targetRefName")}", "ArgumentNullException");
            }

            source = GitStore.NormalizeRef(source);
            target = GitStore.NormalizeRef(target);
            if (source == target)
            {
                return DevOpsRoutes.BadRequest("TF401402: The source and target branches of a pull request cannot be the same.");
            }

            return state.Write(d =>
            {
                var repoId = call.Route("repositoryId")!;
                var repo = GitStore.FindRepository(d, call, repoId);
                if (repo is null)
                {
                    return GitStore.RepositoryNotFound(repoId);
                }

                if (!repo.Refs.TryGetValue(source, out var sourceHead) || !repo.Refs.TryGetValue(target, out var targetHead))
                {
                    return DevOpsRoutes.NotFound("GitRefNotFoundException", $"TF401398: The pull request cannot be activated because the source and/or the target branch no longer exists, or the requested refs are not branches. Source: '{source}', target: '{target}'.");
                }

                if (d.PullRequests.Any(p => p.RepositoryId == repo.Id && p.Status == "active" && p.SourceRefName == source && p.TargetRefName == target))
                {
                    return DevOpsErrors.Json(StatusCodes.Status409Conflict, "GitPullRequestExistsException", "TF401179: An active pull request for the source and target branch already exists.");
                }

                var pr = new PullRequestData
                {
                    Id = d.NextId("pullRequest"),
                    RepositoryId = repo.Id,
                    CreatedBy = call.Caller.Id,
                    CreationDate = call.Now,
                    Title = DevOpsJson.Str(body, "title") ?? (source.StartsWith("refs/heads/", StringComparison.Ordinal) ? source["refs/heads/".Length..] : source),
                    Description = DevOpsJson.Str(body, "description"),
                    SourceRefName = source,
                    TargetRefName = target,
                    IsDraft = DevOpsJson.Prop(body, "isDraft") is { ValueKind: JsonValueKind.True },
                    MergeId = Guid.NewGuid(),
                    LastMergeSourceCommit = sourceHead,
                    LastMergeTargetCommit = targetHead,
                    Iterations = [sourceHead],
                };
                PullRequestStore.QueueMerge(pr, call.Now);
                if (DevOpsJson.Prop(body, "reviewers") is { ValueKind: JsonValueKind.Array } reviewers)
                {
                    foreach (var r in reviewers.EnumerateArray())
                    {
                        if (Guid.TryParse(DevOpsJson.Str(r, "id"), out var rid) && pr.Reviewers.All(x => x.Id != rid))
                        {
                            pr.Reviewers.Add(new PullRequestReviewerData { Id = rid, IsRequired = DevOpsJson.Prop(r, "isRequired") is { ValueKind: JsonValueKind.True } });
                        }
                    }
                }

                if (DevOpsJson.Prop(body, "labels") is { ValueKind: JsonValueKind.Array } labels)
                {
                    pr.Labels.AddRange(labels.EnumerateArray().Select(l => DevOpsJson.Str(l, "name")).OfType<string>());
                }

                d.PullRequests.Add(pr);
                PullRequestWorkItems.LinkFromRequest(call, d, repo, pr, body);
                state.PublishLocked(d, GitHookEvents.PullRequest(call, d, pr, "git.pullrequest.created", "created"));
                return DevOpsJson.Ok(PullRequestJson.PullRequest(call, d, pr, links: true), StatusCodes.Status201Created);
            });
        });

    public static Task<IResult> Update(HttpContext http, EmulatorState state) =>
        DevOpsApi.RunAsync(http, state, "vso.code_write", async call =>
        {
            var (body, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            var status = DevOpsJson.Enum(body, "status", PullRequestStore.Statuses);
            if (status is not (null or "active" or "abandoned" or "completed"))
            {
                return DevOpsRoutes.BadRequest($"The value '{status}' is not valid for the pull request status.");
            }

            return state.Write(d =>
            {
                var (repo, pr, notFound) = PullRequestStore.Resolve(d, call);
                if (notFound is not null)
                {
                    return notFound;
                }

                if (pr!.Status == "completed")
                {
                    return DevOpsRoutes.BadRequest("TF401171: The pull request has already been completed and cannot be updated.", "InvalidArgumentValueException");
                }

                if (DevOpsJson.Str(body, "title") is { } title)
                {
                    pr.Title = title;
                }

                if (DevOpsJson.Prop(body, "description") is { ValueKind: JsonValueKind.String } description)
                {
                    pr.Description = description.GetString();
                }

                if (DevOpsJson.Prop(body, "isDraft") is { ValueKind: JsonValueKind.True or JsonValueKind.False } draft)
                {
                    pr.IsDraft = draft.GetBoolean();
                }

                var options = DevOpsJson.Prop(body, "completionOptions");
                if (options is { ValueKind: JsonValueKind.Object } o)
                {
                    pr.CompletionOptions = JsonSerializer.Deserialize<Dictionary<string, object?>>(o.GetRawText());
                }

                if (DevOpsJson.Prop(body, "autoCompleteSetBy") is { } setBy)
                {
                    pr.AutoCompleteSetBy = Guid.TryParse(DevOpsJson.Str(setBy, "id"), out var setById) && setById != Guid.Empty ? setById : null;
                }

                if (status == "completed")
                {
                    var lastSource = DevOpsJson.Prop(body, "lastMergeSourceCommit") is { } c ? DevOpsJson.Str(c, "commitId") : null;
                    if (lastSource is null)
                    {
                        return DevOpsRoutes.BadRequest("The lastMergeSourceCommit must be specified to complete a pull request.\r\nParameter name: lastMergeSourceCommit", "ArgumentNullException");
                    }

                    if (!string.Equals(lastSource, pr.LastMergeSourceCommit, StringComparison.OrdinalIgnoreCase))
                    {
                        return DevOpsErrors.Json(StatusCodes.Status409Conflict, "GitPullRequestStaleException", "TF401192: The pull request was updated by another user, or the source branch received new commits. Refresh and try again.");
                    }

                    var completion = options is { ValueKind: JsonValueKind.Object } given ? given : (JsonElement?)null;
                    var delete = completion is { } c1 && DevOpsJson.Prop(c1, "deleteSourceBranch") is { ValueKind: JsonValueKind.True };
                    PullRequestUpdates.Complete(call, d, repo!, pr, delete,
                        completion is { } c2 ? DevOpsJson.Str(c2, "mergeCommitMessage") : null, completion is { } c3 ? DevOpsJson.Str(c3, "mergeStrategy") : null);
                }
                else if (status is "abandoned" or "active" && status != pr.Status)
                {
                    pr.Status = status;
                    pr.ClosedDate = status == "abandoned" ? call.Now : null;
                    pr.ClosedBy = status == "abandoned" ? call.Caller.Id : null;
                    SystemThreads.Status(d, pr, call.Caller.Id, status == "abandoned" ? "Abandoned" : "Active", call.Now);
                    state.PublishLocked(d, GitHookEvents.PullRequest(call, d, pr, "git.pullrequest.updated", status == "abandoned" ? "abandoned" : "reactivated", "StatusUpdateNotification"));
                }
                else
                {
                    state.PublishLocked(d, GitHookEvents.PullRequest(call, d, pr, "git.pullrequest.updated", "updated"));
                }

                return DevOpsJson.Ok(PullRequestJson.PullRequest(call, d, pr, links: true));
            });
        });
}
