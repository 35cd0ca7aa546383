using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Pull request comment threads: list, get, create (with its first comments), update status and properties.</summary>
internal static class ThreadsEndpoints
{
    public const string WriteScopes = "vso.threads_full|vso.code_write";
    public static readonly string[] Statuses = ["unknown", "active", "fixed", "wontFix", "closed", "byDesign", "pending"];
    public static readonly string[] CommentTypes = ["unknown", "text", "codeChange", "system"];

    public static IResult List(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code|vso.threads_full", call => state.Read(d =>
        {
            var (repo, pr, error) = PullRequestStore.Resolve(d, call);
            return error ?? call.List(pr!.Threads.Where(t => !t.IsDeleted).Select(t => PullRequestJson.Thread(call, d, repo!, pr, t)).ToArray());
        }));

    public static IResult Get(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code|vso.threads_full", call => state.Read(d =>
        {
            var (repo, pr, error) = PullRequestStore.Resolve(d, call);
            if (error is not null)
            {
                return error;
            }

            var (thread, missing) = PullRequestStore.Thread(pr!, call);
            return missing ?? DevOpsJson.Ok(PullRequestJson.Thread(call, d, repo!, pr!, thread!));
        }));

    public static Task<IResult> Create(HttpContext http, EmulatorState state) =>
        DevOpsApi.RunAsync(http, state, WriteScopes, async call =>
        {
            var (body, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            var status = DevOpsJson.Enum(body, "status", Statuses) ?? "active";
            if (!Statuses.Contains(status))
            {
                return DevOpsRoutes.BadRequest($"The value '{status}' is not a valid CommentThreadStatus.");
            }

            return state.Write(d =>
            {
                var (repo, pr, notFound) = PullRequestStore.Resolve(d, call);
                if (notFound is not null)
                {
                    return notFound;
                }

                var thread = new PullRequestThreadData
                {
                    Id = d.NextId("thread"),
                    PublishedDate = call.Now,
                    LastUpdatedDate = call.Now,
                    Status = status,
                    ThreadContext = DevOpsJson.Prop(body, "threadContext") is { ValueKind: JsonValueKind.Object } ctx ? JsonSerializer.Deserialize<Dictionary<string, object?>>(ctx.GetRawText()) : null,
                    Properties = DevOpsJson.Prop(body, "properties") is { ValueKind: JsonValueKind.Object } props ? JsonSerializer.Deserialize<Dictionary<string, object?>>(props.GetRawText())! : [],
                };
                if (DevOpsJson.Prop(body, "comments") is { ValueKind: JsonValueKind.Array } comments)
                {
                    foreach (var c in comments.EnumerateArray())
                    {
                        thread.Comments.Add(NewComment(thread, c, call));
                    }
                }

                pr!.Threads.Add(thread);
                foreach (var comment in thread.Comments)
                {
                    state.PublishLocked(d, GitHookEvents.Comment(call, d, pr, thread, comment, edited: false));
                }

                return DevOpsJson.Ok(PullRequestJson.Thread(call, d, repo!, pr, thread));
            });
        });

    public static Task<IResult> Update(HttpContext http, EmulatorState state) =>
        DevOpsApi.RunAsync(http, state, WriteScopes, async call =>
        {
            var (body, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            var status = DevOpsJson.Enum(body, "status", Statuses);
            if (status is not null && !Statuses.Contains(status))
            {
                return DevOpsRoutes.BadRequest($"The value '{status}' is not a valid CommentThreadStatus.");
            }

            return state.Write(d =>
            {
                var (repo, pr, notFound) = PullRequestStore.Resolve(d, call);
                if (notFound is not null)
                {
                    return notFound;
                }

                var (thread, missing) = PullRequestStore.Thread(pr!, call);
                if (missing is not null)
                {
                    return missing;
                }

                thread!.Status = status ?? thread.Status;
                if (DevOpsJson.Prop(body, "properties") is { ValueKind: JsonValueKind.Object } props)
                {
                    foreach (var p in props.EnumerateObject())
                    {
                        thread.Properties[p.Name] = p.Value.Clone();
                    }
                }

                thread.LastUpdatedDate = call.Now;
                return DevOpsJson.Ok(PullRequestJson.Thread(call, d, repo!, pr!, thread));
            });
        });

    public static PullRequestCommentData NewComment(PullRequestThreadData thread, JsonElement body, DevOpsCall call) => new()
    {
        Id = thread.Comments.Count == 0 ? 1 : thread.Comments.Max(c => c.Id) + 1,
        ParentCommentId = DevOpsJson.Prop(body, "parentCommentId") is { ValueKind: JsonValueKind.Number } parent ? parent.GetInt32() : 0,
        Author = call.Caller.Id,
        Content = DevOpsJson.Str(body, "content"),
        PublishedDate = call.Now,
        LastUpdatedDate = call.Now,
        LastContentUpdatedDate = call.Now,
        CommentType = DevOpsJson.Enum(body, "commentType", CommentTypes) ?? "text",
    };
}
