using System.Text.Json.Nodes;
using AdoBridge.Webhooks.Normalization;

namespace AdoBridge.UnitTests.Webhooks.Normalization;

public sealed class PullRequestNormalizationTests
{
    [Fact]
    public void Created_CarriesTheCompactPullRequest()
    {
        var data = HookSamples.NormalizeSample("git.pullrequest.created.json").Data;

        data.Str("pullRequest.id").ShouldBe("1");
        data.Str("pullRequest.title").ShouldBe("my first pull request");
        data.Str("pullRequest.description").ShouldBe(" - test2\r\n");
        data.Str("pullRequest.status").ShouldBe("active");
        data.Str("pullRequest.isDraft").ShouldBe("false");
        data.Str("pullRequest.sourceBranch").ShouldBe("refs/heads/mytopic");
        data.Str("pullRequest.targetBranch").ShouldBe("refs/heads/main");
        data.Str("pullRequest.sourceCommit").ShouldBe("4444eeee455ff5aaaaabb66ccccccccc7777cccc");
        data.Str("pullRequest.targetCommit").ShouldBe("5555ffff566aa6bbbbbcc77ddddddd888888dddd");
        data.Str("pullRequest.mergeStatus").ShouldBe("succeeded");
        data.Str("pullRequest.url").ShouldBe("https://dev.azure.com/fabrikam/DefaultCollection/_git/Fabrikam/pullrequest/1");
        data.Str("pullRequest.createdBy.uniqueName").ShouldBe("fabrikamfiber4@hotmail.com");
        data.Str("pullRequest.reviewers.0.displayName").ShouldBe("[Mobile]\\Mobile Team");
        data.Str("pullRequest.reviewers.0.vote").ShouldBe("0");
        data.Str("pullRequest.reviewers.0.isRequired").ShouldBe("false");
        data.Str("repository.name").ShouldBe("Fabrikam");
        data.Str("project.name").ShouldBe("Fabrikam");
        data.Str("organization").ShouldBe("fabrikam");
        data.Str("message").ShouldBe("Jamal Hartnett created a new pull request");
        data.ContainsKey("change").ShouldBeFalse();
    }

    [Fact]
    public void Url_IsTheWebLink_WhenTheResourceHasOne_ElseTheApiUrl()
    {
        HookSamples.NormalizeSample("git.pullrequest.merged.json").Data.Str("pullRequest.url")
            .ShouldBe("https://fabrikam.visualstudio.com/DefaultCollection/_git/Fabrikam/pullrequest/1#view=discussion");

        var bare = HookSamples.Node("git.pullrequest.created.json");
        bare["resource"]!["repository"]!.AsObject().Remove("remoteUrl");
        HookSamples.Normalize(bare).Data.Str("pullRequest.url").ShouldBe(bare["resource"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public void AbsentOptionalFields_AreTolerated()
    {
        var pr = HookSamples.Node("git.pullrequest.created.json");
        var resource = pr["resource"]!.AsObject();
        foreach (var optional in new[] { "description", "reviewers", "createdBy", "lastMergeSourceCommit", "lastMergeTargetCommit", "lastMergeCommit", "mergeStatus", "title", "status" })
        {
            resource.Remove(optional);
        }

        pr.Remove("message");
        pr.Remove("resourceContainers");
        var data = HookSamples.Normalize(pr).Data;

        data.Str("pullRequest.id").ShouldBe("1");
        data.ContainsKey("message").ShouldBeFalse();
        data["pullRequest"]!.AsObject().ContainsKey("description").ShouldBeFalse();
        data["pullRequest"]!.AsObject().ContainsKey("targetCommit").ShouldBeFalse();
        data.Str("pullRequest.sourceCommit").ShouldBeNull();
        data["pullRequest"]!["reviewers"]!.AsArray().ShouldBeEmpty();
        data.Str("organization").ShouldBe("fabrikam");
    }

    [Fact]
    public void Reviewers_CarryVoteAndRequired()
    {
        var pr = HookSamples.Node("git.pullrequest.created.json");
        pr["resource"]!["reviewers"] = new JsonArray(
            new JsonObject { ["id"] = "r1", ["displayName"] = "Alice", ["uniqueName"] = "alice@x", ["vote"] = 10, ["isRequired"] = true },
            new JsonObject { ["id"] = "r2", ["displayName"] = "Bob", ["uniqueName"] = "bob@x", ["vote"] = -5 });

        var data = HookSamples.Normalize(pr).Data;

        data.Str("pullRequest.reviewers.0.vote").ShouldBe("10");
        data.Str("pullRequest.reviewers.0.isRequired").ShouldBe("true");
        data.Str("pullRequest.reviewers.1.vote").ShouldBe("-5");
        data.Str("pullRequest.reviewers.1.isRequired").ShouldBe("false");
    }

    // Messages as Azure DevOps and the emulator word them for each notificationType.
    [Theory]
    [InlineData("Jamal Hartnett updated the source branch of pull request 1 (my first pull request) in Fabrikam", PullRequestChanges.SourcePushed)]
    [InlineData("Jamal Hartnett pushed a new commit to pull request 1", PullRequestChanges.SourcePushed)]
    [InlineData("Jamal Hartnett updated the reviewer list of pull request 1 (my first pull request) in Fabrikam", PullRequestChanges.ReviewersChanged)]
    [InlineData("Jamal Hartnett added Normal Paulk as a reviewer on pull request 1", PullRequestChanges.ReviewersChanged)]
    [InlineData("Jamal Hartnett approved pull request 1 (my first pull request) in Fabrikam", PullRequestChanges.Vote)]
    [InlineData("Jamal Hartnett approved with suggestions pull request 1", PullRequestChanges.Vote)]
    [InlineData("Jamal Hartnett rejected pull request 1", PullRequestChanges.Vote)]
    [InlineData("Jamal Hartnett is waiting for the author on pull request 1", PullRequestChanges.Vote)]
    [InlineData("Jamal Hartnett reset their vote on pull request 1", PullRequestChanges.Vote)]
    [InlineData("Jamal Hartnett marked the pull request as completed", PullRequestChanges.StatusChanged)]
    [InlineData("Jamal Hartnett abandoned pull request 1 (my first pull request) in Fabrikam", PullRequestChanges.StatusChanged)]
    [InlineData("Jamal Hartnett reactivated pull request 1", PullRequestChanges.StatusChanged)]
    [InlineData("Jamal Hartnett completed pull request 1 (my first pull request) in Fabrikam", PullRequestChanges.StatusChanged)]
    [InlineData("Jamal Hartnett published pull request 1", PullRequestChanges.StatusChanged)]
    [InlineData("Jamal Hartnett updated pull request 1 (my first pull request) in Fabrikam", PullRequestChanges.Updated)]
    public void Updated_IsClassifiedFromItsMessage(string text, string change)
    {
        var pr = HookSamples.Node("git.pullrequest.updated.json");
        pr["message"]!["text"] = text;
        pr["message"]!["html"] = text;
        pr["message"]!["markdown"] = text;
        pr["detailedMessage"] = new JsonObject { ["text"] = text + "\r\n\r\n- Merge status: Succeeded\r\n" };
        pr["resource"]!["status"] = "active";

        HookSamples.Normalize(pr).Data.Str("change").ShouldBe(change);
    }

    [Fact]
    public void Updated_PublishedSample_IsAStatusChange()
    {
        HookSamples.NormalizeSample("git.pullrequest.updated.json").Data.Str("change").ShouldBe(PullRequestChanges.StatusChanged);
    }

    [Fact]
    public void Updated_TitleWordsDoNotDecideTheClassification()
    {
        var pr = HookSamples.Node("git.pullrequest.updated.json");
        pr["resource"]!["title"] = "Show completed and approved orders";
        pr["resource"]!["status"] = "active";
        pr["message"] = new JsonObject { ["text"] = "Jamal Hartnett updated the reviewer list of pull request 1 (Show completed and approved orders) in Fabrikam" };
        pr.Remove("detailedMessage");

        HookSamples.Normalize(pr).Data.Str("change").ShouldBe(PullRequestChanges.ReviewersChanged);

        pr["message"] = new JsonObject { ["text"] = "Jamal Hartnett updated pull request 1 (Show completed and approved orders) in Fabrikam" };
        HookSamples.Normalize(pr).Data.Str("change").ShouldBe(PullRequestChanges.Updated);
    }

    [Fact]
    public void Updated_ReadsOnlyTheRenderingTheSubscriptionSends()
    {
        // messagesToSend = markdown leaves text and html empty.
        var pr = HookSamples.Node("git.pullrequest.updated.json");
        pr["message"] = new JsonObject { ["text"] = "", ["html"] = "", ["markdown"] = "Jamal Hartnett approved pull request 1" };
        pr.Remove("detailedMessage");
        pr["resource"]!["status"] = "active";

        HookSamples.Normalize(pr).Data.Str("change").ShouldBe(PullRequestChanges.Vote);
    }

    [Theory]
    [InlineData("abandoned", PullRequestChanges.StatusChanged)]
    [InlineData("completed", PullRequestChanges.StatusChanged)]
    [InlineData("active", PullRequestChanges.Updated)]
    public void Updated_WithoutMessages_FallsBackOnTheStatusField(string status, string change)
    {
        var pr = HookSamples.Node("git.pullrequest.updated.json");
        pr.Remove("message");
        pr.Remove("detailedMessage");
        pr["resource"]!["status"] = status;

        HookSamples.Normalize(pr).Data.Str("change").ShouldBe(change);
    }

    [Theory]
    [InlineData("succeeded", "Succeeded", true)]
    [InlineData("conflicts", "Conflicts", false)]
    [InlineData("failure", "Failure", false)]
    [InlineData("rejectedByPolicy", "RejectedByPolicy", false)]
    [InlineData("queued", "Unsuccessful", false)]
    [InlineData("notSet", "Unsuccessful", false)]
    public void Merged_CarriesTheMergeResult(string mergeStatus, string mergeResult, bool merged)
    {
        var pr = HookSamples.Node("git.pullrequest.merged.json");
        pr["resource"]!["mergeStatus"] = mergeStatus;

        var data = HookSamples.Normalize(pr).Data;

        data.Str("mergeResult").ShouldBe(mergeResult);
        data["merged"]!.GetValue<bool>().ShouldBe(merged);
        data.Str("pullRequest.mergeCommit").ShouldBe("eef717f69257a6333f221566c1c987dc94cc0d72");
    }

    [Theory]
    [InlineData("Conflicts", "active", "Conflicts")]
    [InlineData(null, "completed", "Succeeded")]
    [InlineData(null, "active", "Unsuccessful")]
    public void Merged_WithoutMergeStatus_ReadsTheDetailedMessage_ThenTheStatus(string? messageStatus, string status, string mergeResult)
    {
        var pr = HookSamples.Node("git.pullrequest.merged.v1.json");
        pr["resource"]!.AsObject().Remove("mergeStatus");
        pr["resource"]!["status"] = status;
        pr["detailedMessage"] = messageStatus is null ? null : new JsonObject { ["text"] = $"Jamal Hartnett has created a pull request merge commit\r\n\r\n- Merge status: {messageStatus}\r\n" };

        HookSamples.Normalize(pr).Data.Str("mergeResult").ShouldBe(mergeResult);
    }

    [Fact]
    public void Commented_CarriesTheCommentWithItsThread_AndThePullRequest()
    {
        var e = HookSamples.NormalizeSample("ms.vss-code.git-pullrequest-comment-event.json");

        e.Data.Str("comment.id").ShouldBe("2");
        e.Data.Str("comment.threadId").ShouldBe("5");
        e.Data.Str("comment.parentCommentId").ShouldBe("1");
        e.Data.Str("comment.content").ShouldBe("This is my comment.");
        e.Data.Str("comment.author.displayName").ShouldBe("Jamal Hartnett");
        e.Data.Str("comment.edited").ShouldBe("true");
        e.Data.Str("pullRequest.id").ShouldBe("1");
        e.Data.Str("pullRequest.targetBranch").ShouldBe("refs/heads/master");
        e.Data.Str("repository.name").ShouldBe("Fabrikam");
    }

    [Fact]
    public void Commented_ThreadId_FallsBackOnTheSelfLink()
    {
        var pr = HookSamples.Node("ms.vss-code.git-pullrequest-comment-event.json");
        pr["resource"]!["comment"]!["_links"]!.AsObject().Remove("threads");

        HookSamples.Normalize(pr).Data.Str("comment.threadId").ShouldBe("5");
    }
}
