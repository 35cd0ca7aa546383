using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Pull request reviewers: list, get, add (one by PUT, several by POST), vote (10 approved, 5 approved with
/// suggestions, 0 no vote, -5 waiting for author, -10 rejected), flag/decline, remove.</summary>
internal static class ReviewersEndpoints
{
    private static readonly int[] Votes = [10, 5, 0, -5, -10];

    public static IResult List(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call => state.Read(d =>
        {
            var (repo, pr, error) = PullRequestStore.Resolve(d, call);
            return error ?? call.List(pr!.Reviewers.Select(r => PullRequestJson.Reviewer(call, d, repo!, pr, r)).ToArray());
        }));

    public static IResult Get(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call => state.Read(d =>
        {
            var (repo, pr, error) = PullRequestStore.Resolve(d, call);
            if (error is not null)
            {
                return error;
            }

            var reviewer = Guid.TryParse(call.Route("reviewerId"), out var id) ? pr!.Reviewers.FirstOrDefault(r => r.Id == id) : null;
            return reviewer is null ? ReviewerNotFound() : DevOpsJson.Ok(PullRequestJson.Reviewer(call, d, repo!, pr!, reviewer));
        }));

    /// <summary>PUT adds the reviewer or changes the vote; PATCH changes isFlagged / hasDeclined.</summary>
    public static Task<IResult> Put(HttpContext http, EmulatorState state) =>
        DevOpsApi.RunAsync(http, state, "vso.code_write", async call =>
        {
            var (body, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            if (!Guid.TryParse(call.Route("reviewerId"), out var reviewerId))
            {
                return DevOpsRoutes.BadRequest($"The reviewer id '{call.Route("reviewerId")}' is not a valid identity id.");
            }

            int? vote = DevOpsJson.Prop(body, "vote") is { ValueKind: JsonValueKind.Number } v ? v.GetInt32() : null;
            if (vote is { } value && !Votes.Contains(value))
            {
                return DevOpsRoutes.BadRequest($"The vote value {value} is not valid. Valid values are 10 (approved), 5 (approved with suggestions), 0 (no vote), -5 (waiting for author) and -10 (rejected).");
            }

            return state.Write(d =>
            {
                var (repo, pr, notFound) = PullRequestStore.Resolve(d, call);
                if (notFound is not null)
                {
                    return notFound;
                }

                var reviewer = pr!.Reviewers.FirstOrDefault(r => r.Id == reviewerId);
                var added = reviewer is null;
                if (reviewer is null)
                {
                    if (HttpMethods.IsPatch(http.Request.Method))
                    {
                        return ReviewerNotFound();
                    }

                    reviewer = new PullRequestReviewerData { Id = reviewerId };
                    pr.Reviewers.Add(reviewer);
                }

                var oldVote = reviewer.Vote;
                reviewer.Vote = vote ?? reviewer.Vote;
                reviewer.IsRequired = DevOpsJson.Prop(body, "isRequired") is { ValueKind: JsonValueKind.True or JsonValueKind.False } req ? req.GetBoolean() : reviewer.IsRequired;
                reviewer.IsFlagged = DevOpsJson.Prop(body, "isFlagged") is { ValueKind: JsonValueKind.True or JsonValueKind.False } flag ? flag.GetBoolean() : reviewer.IsFlagged;
                reviewer.HasDeclined = DevOpsJson.Prop(body, "hasDeclined") is { ValueKind: JsonValueKind.True or JsonValueKind.False } dec ? dec.GetBoolean() : reviewer.HasDeclined;
                if (added)
                {
                    SystemThreads.Reviewers(d, pr, call.Caller.Id, [reviewerId], [], call.Now);
                    state.PublishLocked(d, GitHookEvents.PullRequest(call, d, pr, "git.pullrequest.updated", "updated the reviewer list of", "ReviewersUpdateNotification"));
                }

                if (reviewer.Vote != oldVote)
                {
                    SystemThreads.Vote(d, pr, reviewerId, reviewer.Vote, call.Now);
                    state.PublishLocked(d, GitHookEvents.PullRequest(call, d, pr, "git.pullrequest.updated", VoteText(reviewer.Vote), "ReviewerVoteNotification"));
                }

                return DevOpsJson.Ok(PullRequestJson.Reviewer(call, d, repo!, pr, reviewer));
            });
        });

    public static Task<IResult> AddMany(HttpContext http, EmulatorState state) =>
        DevOpsApi.RunAsync(http, state, "vso.code_write", async call =>
        {
            var (body, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            if (body.ValueKind != JsonValueKind.Array)
            {
                return DevOpsRoutes.BadRequest("The request body must be an array of reviewers.");
            }

            return state.Write(d =>
            {
                var (repo, pr, notFound) = PullRequestStore.Resolve(d, call);
                if (notFound is not null)
                {
                    return notFound;
                }

                var added = new List<Guid>();
                foreach (var item in body.EnumerateArray())
                {
                    if (Guid.TryParse(DevOpsJson.Str(item, "id"), out var id) && pr!.Reviewers.All(r => r.Id != id))
                    {
                        pr.Reviewers.Add(new PullRequestReviewerData { Id = id, IsRequired = DevOpsJson.Prop(item, "isRequired") is { ValueKind: JsonValueKind.True } });
                        added.Add(id);
                    }
                }

                SystemThreads.Reviewers(d, pr!, call.Caller.Id, added, [], call.Now);

                state.PublishLocked(d, GitHookEvents.PullRequest(call, d, pr!, "git.pullrequest.updated", "updated the reviewer list of", "ReviewersUpdateNotification"));
                return call.List(pr!.Reviewers.Select(r => PullRequestJson.Reviewer(call, d, repo!, pr, r)).ToArray());
            });
        });

    public static IResult Delete(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code_write", call => state.Write(d =>
        {
            var (_, pr, error) = PullRequestStore.Resolve(d, call);
            if (error is not null)
            {
                return error;
            }

            var removed = Guid.TryParse(call.Route("reviewerId"), out var id) ? pr!.Reviewers.RemoveAll(r => r.Id == id) : 0;
            if (removed == 0)
            {
                return ReviewerNotFound();
            }

            SystemThreads.Reviewers(d, pr!, call.Caller.Id, [], [id], call.Now);
            state.PublishLocked(d, GitHookEvents.PullRequest(call, d, pr!, "git.pullrequest.updated", "updated the reviewer list of", "ReviewersUpdateNotification"));
            return Results.NoContent();
        }));

    private static IResult ReviewerNotFound() => DevOpsRoutes.NotFound("GitPullRequestReviewerNotFoundException", "TF401183: The requested reviewer was not found on the pull request.");

    private static string VoteText(int vote) => vote switch
    {
        10 => "approved",
        5 => "approved with suggestions",
        -5 => "is waiting for the author on",
        -10 => "rejected",
        _ => "reset their vote on",
    };
}
