using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Comments of a pull request thread: list, get, create (a reply names parentCommentId), edit, delete.
/// Creating or editing fires ms.vss-code.git-pullrequest-comment-event.</summary>
internal static class CommentsEndpoints
{
    private const int MaxCommentsPerThread = 500;

    public static IResult List(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code|vso.threads_full", call => state.Read(d =>
        {
            var (repo, pr, thread, error) = Resolve(d, call);
            return error ?? call.List(thread!.Comments.Select(c => PullRequestJson.Comment(call, d, ThreadUrl(call, repo!, pr!, thread), c)).ToArray());
        }));

    public static IResult Get(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code|vso.threads_full", call => state.Read(d =>
        {
            var (repo, pr, thread, error) = Resolve(d, call);
            if (error is not null)
            {
                return error;
            }

            var comment = FindComment(thread!, call);
            return comment is null ? CommentNotFound(call) : DevOpsJson.Ok(PullRequestJson.Comment(call, d, ThreadUrl(call, repo!, pr!, thread!), comment));
        }));

    public static Task<IResult> Create(HttpContext http, EmulatorState state) =>
        DevOpsApi.RunAsync(http, state, ThreadsEndpoints.WriteScopes, async call =>
        {
            var (body, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            return state.Write(d =>
            {
                var (repo, pr, thread, notFound) = Resolve(d, call);
                if (notFound is not null)
                {
                    return notFound;
                }

                if (thread!.Comments.Count >= MaxCommentsPerThread)
                {
                    return DevOpsRoutes.BadRequest($"TF401185: The thread already has the maximum of {MaxCommentsPerThread} comments.");
                }

                var comment = ThreadsEndpoints.NewComment(thread, body, call);
                if (comment.ParentCommentId != 0 && thread.Comments.All(c => c.Id != comment.ParentCommentId))
                {
                    return DevOpsRoutes.BadRequest($"The parent comment {comment.ParentCommentId} does not exist in thread {thread.Id}.");
                }

                thread.Comments.Add(comment);
                thread.LastUpdatedDate = call.Now;
                state.PublishLocked(d, GitHookEvents.Comment(call, d, pr!, thread, comment, edited: false));
                return DevOpsJson.Ok(PullRequestJson.Comment(call, d, ThreadUrl(call, repo!, pr!, thread), comment));
            });
        });

    public static Task<IResult> Update(HttpContext http, EmulatorState state) =>
        DevOpsApi.RunAsync(http, state, ThreadsEndpoints.WriteScopes, async call =>
        {
            var (body, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            return state.Write(d =>
            {
                var (repo, pr, thread, notFound) = Resolve(d, call);
                if (notFound is not null)
                {
                    return notFound;
                }

                var comment = FindComment(thread!, call);
                if (comment is null)
                {
                    return CommentNotFound(call);
                }

                if (comment.Author != call.Caller.Id)
                {
                    return DevOpsErrors.Json(StatusCodes.Status403Forbidden, "UnauthorizedAccessException", "TF401184: Only the author of a comment can edit it.");
                }

                if (DevOpsJson.Str(body, "content") is { } content)
                {
                    comment.Content = content;
                    comment.LastContentUpdatedDate = call.Now;
                }

                comment.LastUpdatedDate = call.Now;
                state.PublishLocked(d, GitHookEvents.Comment(call, d, pr!, thread!, comment, edited: true));
                return DevOpsJson.Ok(PullRequestJson.Comment(call, d, ThreadUrl(call, repo!, pr!, thread!), comment));
            });
        });

    public static IResult Delete(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, ThreadsEndpoints.WriteScopes, call => state.Write(d =>
        {
            var (_, _, thread, error) = Resolve(d, call);
            if (error is not null)
            {
                return error;
            }

            var comment = FindComment(thread!, call);
            if (comment is null)
            {
                return CommentNotFound(call);
            }

            comment.IsDeleted = true;
            comment.Content = null;
            comment.LastUpdatedDate = call.Now;
            return Results.Ok();
        }));

    private static (GitRepositoryData? Repo, PullRequestData? Pr, PullRequestThreadData? Thread, IResult? Error) Resolve(EmulatorData d, DevOpsCall call)
    {
        var (repo, pr, error) = PullRequestStore.Resolve(d, call);
        if (error is not null)
        {
            return (null, null, null, error);
        }

        var (thread, missing) = PullRequestStore.Thread(pr!, call);
        return (repo, pr, thread, missing);
    }

    private static PullRequestCommentData? FindComment(PullRequestThreadData thread, DevOpsCall call)
    {
        var id = int.Parse(call.Route("commentId")!, CultureInfo.InvariantCulture);
        return thread.Comments.FirstOrDefault(c => c.Id == id);
    }

    private static IResult CommentNotFound(DevOpsCall call) =>
        DevOpsRoutes.NotFound("GitPullRequestCommentNotFoundException", $"TF401182: The pull request comment {call.Route("commentId")} was not found.");

    private static string ThreadUrl(DevOpsCall call, GitRepositoryData repo, PullRequestData pr, PullRequestThreadData thread) =>
        $"{PullRequestJson.Url(call.OrgUrl, repo, pr.Id)}/threads/{thread.Id}";
}
