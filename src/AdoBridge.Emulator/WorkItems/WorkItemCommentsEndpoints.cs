using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Work item comments (a preview API): list with top and continuationToken in the body, add (workitem.commented),
/// get one, edit (a new version) and delete.</summary>
internal static class WorkItemCommentsEndpoints
{
    public static IResult List(HttpContext http, EmulatorState state) =>
        WorkItemStore.RequirePreview(http) ?? DevOpsApi.Run(http, state, WorkItemStore.ReadScope, call => state.Read(d =>
        {
            var item = Item(d, call);
            if (item is null)
            {
                return WorkItemStore.NotFound(int.Parse(call.Route("id")!, CultureInfo.InvariantCulture));
            }

            var all = item.Comments.Where(c => !c.IsDeleted || call.QueryBool("includeDeleted")).ToList();
            if (string.Equals(call.Query("order"), "asc", StringComparison.OrdinalIgnoreCase))
            {
                all = all.OrderBy(c => c.Id).ToList();
            }
            else
            {
                all = all.OrderByDescending(c => c.Id).ToList();
            }

            var skip = 0;
            if (call.Query("continuationToken") is { } token && !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out skip))
            {
                return DevOpsErrors.Json(StatusCodes.Status400BadRequest, "InvalidContinuationTokenException", $"The continuation token '{token}' is not valid.");
            }

            var top = call.QueryInt("top") ?? call.QueryInt("$top") ?? 200;
            var page = all.Skip(skip).Take(top).ToArray();
            var next = skip + page.Length < all.Count ? (skip + page.Length).ToString(CultureInfo.InvariantCulture) : null;
            var baseUrl = $"{call.OrgUrl}/{item.ProjectId}/_apis/wit/workItems/{item.Id}/comments";
            return DevOpsJson.Ok(new Dictionary<string, object?>
            {
                ["totalCount"] = all.Count,
                ["count"] = page.Length,
                ["comments"] = page.Select(c => WorkItemJson.Comment(call, d, item, c)).ToArray(),
                ["continuationToken"] = next,
                ["nextPage"] = next is null ? null : $"{baseUrl}?continuationToken={next}&top={top}",
                ["url"] = baseUrl,
            });
        }));

    public static IResult Get(HttpContext http, EmulatorState state) =>
        WorkItemStore.RequirePreview(http) ?? DevOpsApi.Run(http, state, WorkItemStore.ReadScope, call => state.Read(d =>
        {
            var item = Item(d, call);
            if (item is null)
            {
                return WorkItemStore.NotFound(int.Parse(call.Route("id")!, CultureInfo.InvariantCulture));
            }

            var commentId = int.Parse(call.Route("commentId")!, CultureInfo.InvariantCulture);
            var comment = item.Comments.FirstOrDefault(c => c.Id == commentId && (!c.IsDeleted || call.QueryBool("includeDeleted")));
            return comment is null
                ? DevOpsRoutes.NotFound("WorkItemCommentNotFoundException", $"VS403533: Comment {commentId} of work item {item.Id} does not exist.")
                : DevOpsJson.Ok(WorkItemJson.Comment(call, d, item, comment));
        }));

    public static Task<IResult> Add(HttpContext http, EmulatorState state) =>
        WorkItemStore.RequirePreview(http) is { } preview ? Task.FromResult(preview) : DevOpsApi.RunAsync(http, state, WorkItemStore.WriteScope, async call =>
        {
            var (body, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            if (string.IsNullOrWhiteSpace(DevOpsJson.Str(body, "text")))
            {
                return DevOpsRoutes.BadRequest("Value cannot be null.\r\nParameter name: text", "ArgumentNullException");
            }

            return state.Write(d =>
            {
                var item = Item(d, call);
                if (item is null)
                {
                    return WorkItemStore.NotFound(int.Parse(call.Route("id")!, CultureInfo.InvariantCulture));
                }

                var comment = AddComment(call, d, item, DevOpsJson.Str(body, "text")!);
                var shown = WorkItemJson.Clone(item.Fields);
                item.Fields["System.History"] = comment.Text;
                state.PublishLocked(d, WorkItemHookEvents.Simple(call, d, item, "workitem.commented", "commented on"));
                item.Fields = shown;
                return DevOpsJson.Ok(WorkItemJson.Comment(call, d, item, comment));
            });
        });

    public static Task<IResult> Update(HttpContext http, EmulatorState state) =>
        WorkItemStore.RequirePreview(http) is { } preview ? Task.FromResult(preview) : DevOpsApi.RunAsync(http, state, WorkItemStore.WriteScope, async call =>
        {
            var (body, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            return state.Write(d =>
            {
                var (item, comment, missing) = Comment(d, call);
                if (missing is not null)
                {
                    return missing;
                }

                comment!.Text = DevOpsJson.Str(body, "text") ?? comment.Text;
                comment.Version++;
                comment.ModifiedBy = call.Caller.Id;
                comment.ModifiedDate = call.Now;
                return DevOpsJson.Ok(WorkItemJson.Comment(call, d, item!, comment));
            });
        });

    public static IResult Delete(HttpContext http, EmulatorState state) =>
        WorkItemStore.RequirePreview(http) ?? DevOpsApi.Run(http, state, WorkItemStore.WriteScope, call => state.Write(d =>
        {
            var (item, comment, missing) = Comment(d, call);
            if (missing is not null)
            {
                return missing;
            }

            comment!.IsDeleted = true;
            item!.Fields["System.CommentCount"] = item.Comments.Count(c => !c.IsDeleted);
            return Results.NoContent();
        }));

    /// <summary>Adds a comment and keeps System.CommentCount in step (also used for System.History on update).</summary>
    public static WorkItemCommentData AddComment(DevOpsCall call, EmulatorData d, WorkItemData item, string text)
    {
        var comment = new WorkItemCommentData { Id = d.NextId("workItemComment"), Text = text, CreatedBy = call.Caller.Id, CreatedDate = call.Now, ModifiedBy = call.Caller.Id, ModifiedDate = call.Now };
        item.Comments.Add(comment);
        item.Fields["System.CommentCount"] = item.Comments.Count(c => !c.IsDeleted);
        return comment;
    }

    private static WorkItemData? Item(EmulatorData d, DevOpsCall call) =>
        WorkItemStore.Find(d, call, int.Parse(call.Route("id")!, CultureInfo.InvariantCulture));

    private static (WorkItemData? Item, WorkItemCommentData? Comment, IResult? Error) Comment(EmulatorData d, DevOpsCall call)
    {
        var item = Item(d, call);
        if (item is null)
        {
            return (null, null, WorkItemStore.NotFound(int.Parse(call.Route("id")!, CultureInfo.InvariantCulture)));
        }

        var commentId = int.Parse(call.Route("commentId")!, CultureInfo.InvariantCulture);
        var comment = item.Comments.FirstOrDefault(c => c.Id == commentId && !c.IsDeleted);
        return comment is null
            ? (item, null, DevOpsRoutes.NotFound("WorkItemCommentNotFoundException", $"VS402625: Comment {commentId} does not exist on work item {item.Id}."))
            : (item, comment, null);
    }
}
