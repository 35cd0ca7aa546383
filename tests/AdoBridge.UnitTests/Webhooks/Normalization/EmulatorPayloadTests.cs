using System.Text.Json.Nodes;
using AdoBridge.Emulator;
using AdoBridge.Webhooks.Normalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace AdoBridge.UnitTests.Webhooks.Normalization;

/// <summary>The emulator's own notifications (what the end-to-end flow sends) normalise too: built with the emulator's
/// event builders and envelope from its seeded organisation, as its delivery service would post them.</summary>
public sealed class EmulatorPayloadTests
{
    private const string Organization = EmulatorDefaults.Organization;

    public static TheoryData<string, string?, string> PullRequestUpdates => new()
    {
        { "updated the source branch of", "PushNotification", PullRequestChanges.SourcePushed },
        { "updated the reviewer list of", "ReviewersUpdateNotification", PullRequestChanges.ReviewersChanged },
        { "approved", "ReviewerVoteNotification", PullRequestChanges.Vote },
        { "approved with suggestions", "ReviewerVoteNotification", PullRequestChanges.Vote },
        { "is waiting for the author on", "ReviewerVoteNotification", PullRequestChanges.Vote },
        { "rejected", "ReviewerVoteNotification", PullRequestChanges.Vote },
        { "reset their vote on", "ReviewerVoteNotification", PullRequestChanges.Vote },
        { "abandoned", "StatusUpdateNotification", PullRequestChanges.StatusChanged },
        { "reactivated", "StatusUpdateNotification", PullRequestChanges.StatusChanged },
        { "completed", "StatusUpdateNotification", PullRequestChanges.StatusChanged },
        { "updated", null, PullRequestChanges.Updated },
    };

    [Fact]
    public void PullRequestCreated_FromTheEmulator_Normalizes()
    {
        var e = Normalize((call, d) => GitHookEvents.PullRequest(call, d, FirstPullRequest(d), "git.pullrequest.created", "created"));

        e.Type.ShouldBe(NormalizedEventTypes.PullRequestCreated);
        e.Organization.ShouldBe(Organization);
        e.RepositoryId.ShouldBe(EmulatorDefaults.RepositoryId);
        e.RepositoryName.ShouldBe(EmulatorDefaults.Repository);
        e.ProjectName.ShouldBe(EmulatorDefaults.Project);
        e.ProjectId.ShouldNotBeNull();
        e.Data.Str("pullRequest.title").ShouldBe("Add sign-in page");
        e.Data.Str("pullRequest.url").ShouldEndWith("/pullrequest/1");
        e.Data.Str("pullRequest.reviewers.0.uniqueName").ShouldNotBeNull();
    }

    [Theory]
    [MemberData(nameof(PullRequestUpdates))]
    public void PullRequestUpdated_FromTheEmulator_IsClassifiedAsItsNotificationType(string action, string? notificationType, string change)
    {
        var e = Normalize((call, d) => GitHookEvents.PullRequest(call, d, FirstPullRequest(d), "git.pullrequest.updated", action, notificationType));

        e.Type.ShouldBe(NormalizedEventTypes.PullRequestUpdated);
        e.Data.Str("change").ShouldBe(change);
    }

    [Fact]
    public void PullRequestMerged_FromTheEmulator_CarriesTheMergeResult()
    {
        var e = Normalize((call, d) => GitHookEvents.PullRequest(call, d, FirstPullRequest(d), "git.pullrequest.merged", "merged", mergeResult: "Succeeded"));

        e.Type.ShouldBe(NormalizedEventTypes.PullRequestMerged);
        e.Data.Str("mergeResult").ShouldBe("Succeeded");
        e.Data.Str("merged").ShouldBe("true");
    }

    [Fact]
    public void PullRequestComment_FromTheEmulator_CarriesTheThread()
    {
        var e = Normalize((call, d) =>
        {
            var pr = FirstPullRequest(d);
            var thread = pr.Threads[0];
            return GitHookEvents.Comment(call, d, pr, thread, thread.Comments[1], edited: false);
        });

        e.Type.ShouldBe(NormalizedEventTypes.PullRequestCommented);
        e.Organization.ShouldBe(Organization);
        e.Data.Str("comment.content").ShouldBe("Thanks, on it.");
        e.Data.Str("comment.parentCommentId").ShouldBe("1");
        e.Data.Str("comment.threadId").ShouldNotBeNull();
        e.Data.Str("comment.edited").ShouldBe("false");
        e.Data.Str("pullRequest.id").ShouldBe("1");
    }

    [Fact]
    public void Push_FromTheEmulator_Normalizes()
    {
        var e = Normalize((call, d) =>
        {
            var repo = d.Repositories.First(r => r.Id == Guid.Parse(EmulatorDefaults.RepositoryId));
            var head = repo.Refs["refs/heads/main"];
            var push = new GitPushData { PushId = 99, RepositoryId = repo.Id, PushedBy = Guid.Parse(EmulatorDefaults.AliceId), Date = DateTimeOffset.UtcNow, CommitIds = [head] };
            push.RefUpdates.Add(new GitRefUpdateData("refs/heads/main", new string('0', 40), head));
            return GitHookEvents.Push(call, d, repo, push);
        });

        e.Type.ShouldBe(NormalizedEventTypes.GitPush);
        e.Organization.ShouldBe(Organization);
        e.RepositoryName.ShouldBe(EmulatorDefaults.Repository);
        e.Data.Str("pushId").ShouldBe("99");
        e.Data.Str("refUpdates.0.name").ShouldBe("refs/heads/main");
        e.Data.Str("commits.0.commitId").ShouldNotBeNull();
    }

    [Theory]
    [InlineData("workitem.created", "created", NormalizedEventTypes.WorkItemCreated)]
    [InlineData("workitem.deleted", "deleted", NormalizedEventTypes.WorkItemDeleted)]
    [InlineData("workitem.restored", "restored", NormalizedEventTypes.WorkItemRestored)]
    public void WorkItem_FromTheEmulator_Normalizes(string eventType, string verb, string type)
    {
        var id = 0;
        var e = Normalize((call, d) =>
        {
            id = d.WorkItems[0].Id;
            return WorkItemHookEvents.Simple(call, d, d.WorkItems[0], eventType, verb);
        });

        e.Type.ShouldBe(type);
        e.Organization.ShouldBe(Organization);
        e.ProjectName.ShouldBe(EmulatorDefaults.Project);
        e.Data.Str("workItem.id").ShouldBe(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        e.Data.Str("workItem.title").ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public void WorkItemUpdated_FromTheEmulator_CarriesChangedFieldsAndRevisedBy()
    {
        var e = Normalize((call, d) =>
        {
            var item = d.WorkItems[0];
            var before = (JsonObject)item.Fields.DeepClone();
            before["System.State"] = "Proposed";
            return WorkItemHookEvents.Updated(call, d, item, before);
        });

        e.Type.ShouldBe(NormalizedEventTypes.WorkItemUpdated);
        e.Data["changedFields"]!["System.State"]!["oldValue"]!.GetValue<string>().ShouldBe("Proposed");
        e.Data.Str("revisedBy.displayName").ShouldNotBeNull();
        e.Data.Str("workItem.url").ShouldNotBeNull().ShouldNotContain("/updates/");
    }

    [Fact]
    public void WorkItemCommented_FromTheEmulator_CarriesTheComment()
    {
        var e = Normalize((call, d) =>
        {
            var item = d.WorkItems[0];
            var commented = new WorkItemData { Id = item.Id, Organization = item.Organization, ProjectId = item.ProjectId, Rev = item.Rev, Fields = (JsonObject)item.Fields.DeepClone() };
            commented.Fields["System.History"] = "Looks right to me.";
            return WorkItemHookEvents.Simple(call, d, commented, "workitem.commented", "commented on");
        });

        e.Data.Str("comment.text").ShouldBe("Looks right to me.");
    }

    [Fact]
    public void BuildComplete_FromTheEmulator_Normalizes()
    {
        var e = Normalize((call, d) =>
        {
            var run = d.PipelineRuns[0];
            var pipeline = d.Pipelines.First(p => p.Id == run.PipelineId);
            var resource = PipelineJson.Build(d, call.OrgUrl, call.Org, pipeline, run);
            var text = HookMessage.Plain($"Build {run.Name} {run.Result}");
            return new HookEvent("build.complete", call.Org.Name, call.Org.Id, pipeline.ProjectId, call.OrgUrl, text, text, resource, "2.0");
        });

        e.Type.ShouldBe(NormalizedEventTypes.BuildCompleted);
        e.Organization.ShouldBe(Organization);
        e.RepositoryId.ShouldBe(EmulatorDefaults.RepositoryId);
        e.Data.Str("build.status").ShouldBe("completed");
        e.Data.Str("build.result").ShouldBe("succeeded");
        e.Data.Str("build.definition.name").ShouldBe("Fabrikam-Fiber-CI");
    }

    private static PullRequestData FirstPullRequest(EmulatorData data) => data.PullRequests.First(p => p.Id == 1);

    /// <summary>Builds an event from the seeded emulator state as if through http://127.0.0.1:5055, wraps it in the
    /// emulator's envelope and serialiser, and normalises the JSON the emulator would post.</summary>
    private static NormalizedEvent Normalize(Func<DevOpsCall, EmulatorData, HookEvent> build)
    {
        var state = new EmulatorState(Options.Create(new EmulatorOptions()));
        var http = new DefaultHttpContext();
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("127.0.0.1", 5055);
        var json = state.Read(d =>
        {
            var org = d.Organizations.First(o => o.Name == Organization);
            var alice = d.Users.First(u => u.Id == Guid.Parse(EmulatorDefaults.AliceId));
            var call = new DevOpsCall(http, state, new DevOpsCaller(alice.Id, alice.DisplayName, alice.UserPrincipalName, "entra", [], alice), org);
            var e = build(call, d);
            var subscription = new HookSubscriptionData { Id = Guid.NewGuid(), Organization = org.Name, EventType = e.EventType, ResourceVersion = e.ResourceVersion };
            return DevOpsJson.ToNode(HookEnvelope.Build(e, subscription, 1, Guid.NewGuid(), DateTimeOffset.UtcNow))!.ToJsonString();
        });

        var normalized = HookSamples.Normalize(json);
        normalized.SourceEventId.ShouldNotBeNull();
        return normalized;
    }
}
