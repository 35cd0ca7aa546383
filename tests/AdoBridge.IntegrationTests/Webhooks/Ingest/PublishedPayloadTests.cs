using System.Net;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Webhooks.Ingest;

/// <summary>
/// Microsoft's published sample payload for every event type AdoBridge subscribes to, re-targeted to the sandbox
/// organisation and project, posted to a real hook of that type: it is stored once for the connection and its event
/// carries every fact the payload holds. Each fact is a (path in the event's data, path in the payload) pair, so the
/// expected values are the published ones, read from the sample itself.
/// </summary>
public sealed class PublishedPayloadTests(ServiceHooksFixture fixture) : IClassFixture<ServiceHooksFixture>
{
    private static readonly string[] PullRequestFacts =
    [
        "pullRequest/id=resource/pullRequestId", "pullRequest/title=resource/title", "pullRequest/description=resource/description",
        "pullRequest/status=resource/status", "pullRequest/sourceBranch=resource/sourceRefName", "pullRequest/targetBranch=resource/targetRefName",
        "pullRequest/sourceCommit=resource/lastMergeSourceCommit/commitId", "pullRequest/targetCommit=resource/lastMergeTargetCommit/commitId",
        "pullRequest/mergeCommit=resource/lastMergeCommit/commitId", "pullRequest/mergeStatus=resource/mergeStatus",
        "pullRequest/createdBy/id=resource/createdBy/id", "pullRequest/createdBy/displayName=resource/createdBy/displayName",
        "pullRequest/createdBy/uniqueName=resource/createdBy/uniqueName", "pullRequest/reviewers/0/displayName=resource/reviewers/0/displayName",
        "pullRequest/reviewers/0/vote=resource/reviewers/0/vote", "repository/id=resource/repository/id", "repository/name=resource/repository/name",
    ];

    private static readonly string[] WorkItemFacts =
    [
        "workItem/id=resource/id", "workItem/rev=resource/rev", "workItem/title=resource/fields/System.Title", "workItem/state=resource/fields/System.State",
        "workItem/workItemType=resource/fields/System.WorkItemType", "workItem/areaPath=resource/fields/System.AreaPath",
        "workItem/iterationPath=resource/fields/System.IterationPath", "workItem/url=resource/url",
        "actor/displayName=resource/fields/System.ChangedBy", "changedDate=resource/fields/System.ChangedDate",
    ];

    private static readonly string[] RepositoryFacts =
    [
        "repository/id=resource/repository/id", "repository/name=resource/repository/name", "repository/defaultBranch=resource/repository/defaultBranch",
        "repository/remoteUrl=resource/repository/remoteUrl", "initiatedBy/id=resource/initiatedBy/id",
        "initiatedBy/displayName=resource/initiatedBy/displayName", "initiatedBy/uniqueName=resource/initiatedBy/uniqueName",
    ];

    public static TheoryData<string, string, string[]> Samples => new()
    {
        { "git.pullrequest.created.json", "pull_request.created", PullRequestFacts },
        { "git.pullrequest.updated.json", "pull_request.updated", [.. PullRequestFacts, "change==status_changed"] },
        { "git.pullrequest.merged.json", "pull_request.merged", [.. PullRequestFacts, "mergeResult==Succeeded", "merged==true"] },
        {
            "ms.vss-code.git-pullrequest-comment-event.json", "pull_request.commented",
            [
                "comment/id=resource/comment/id", "comment/parentCommentId=resource/comment/parentCommentId", "comment/content=resource/comment/content",
                "comment/commentType=resource/comment/commentType", "comment/author/displayName=resource/comment/author/displayName",
                "comment/author/uniqueName=resource/comment/author/uniqueName", "comment/publishedDate=resource/comment/publishedDate",
                "comment/lastUpdatedDate=resource/comment/lastUpdatedDate", "comment/threadId==5",
                "pullRequest/id=resource/pullRequest/pullRequestId", "pullRequest/title=resource/pullRequest/title",
                "pullRequest/sourceBranch=resource/pullRequest/sourceRefName", "pullRequest/targetBranch=resource/pullRequest/targetRefName",
                "pullRequest/reviewers/0/displayName=resource/pullRequest/reviewers/0/displayName", "repository/id=resource/pullRequest/repository/id",
            ]
        },
        {
            "git.push.json", "git.push",
            [
                "pushId=resource/pushId", "refUpdates/0/name=resource/refUpdates/0/name", "refUpdates/0/oldObjectId=resource/refUpdates/0/oldObjectId",
                "refUpdates/0/newObjectId=resource/refUpdates/0/newObjectId", "commits/0/commitId=resource/commits/0/commitId",
                "commits/0/comment=resource/commits/0/comment", "commits/0/author/name=resource/commits/0/author/name",
                "commits/0/author/email=resource/commits/0/author/email", "commits/0/author/date=resource/commits/0/author/date",
                "pushedBy/id=resource/pushedBy/id", "pushedBy/displayName=resource/pushedBy/displayName", "pushedBy/uniqueName=resource/pushedBy/uniqueName",
                "date=resource/date", "url=resource/url", "repository/id=resource/repository/id", "repository/name=resource/repository/name",
            ]
        },
        { "git.repo.created.json", "repository.created", RepositoryFacts },
        {
            "git.repo.deleted.json", "repository.deleted",
            [
                "repository/id=resource/repositoryId", "repository/name=resource/repositoryName", "isHardDelete=resource/isHardDelete",
                "initiatedBy/id=resource/initiatedBy/id", "initiatedBy/displayName=resource/initiatedBy/displayName",
            ]
        },
        {
            "git.repo.forked.json", "repository.forked",
            [
                "repository/id=resource/sourceRepository/id", "repository/name=resource/sourceRepository/name", "fork/id=resource/targetRepository/id",
                "fork/name=resource/targetRepository/name", "fork/remoteUrl=resource/targetRepository/remoteUrl",
                "initiatedBy/id=resource/initiatedBy/id", "initiatedBy/displayName=resource/initiatedBy/displayName",
            ]
        },
        { "git.repo.renamed.json", "repository.renamed", [.. RepositoryFacts, "oldName=resource/oldName", "newName=resource/newName"] },
        { "git.repo.statuschanged.json", "repository.status_changed", [.. RepositoryFacts, "disabled=resource/disabled"] },
        { "workitem.created.json", "work_item.created", [.. WorkItemFacts, "actor/displayName=resource/fields/System.CreatedBy"] },
        {
            "workitem.updated.json", "work_item.updated",
            [
                .. WorkItemFacts, "revisedBy/displayName=resource/fields/System.ChangedBy", "revisedDate=resource/fields/System.ChangedDate",
                "changedFields/System.ChangedBy/newValue=resource/fields/System.ChangedBy", "changedFields/System.ChangedDate/newValue=resource/fields/System.ChangedDate",
                "changedFieldsComplete==false",
            ]
        },
        {
            "workitem.updated.v1.json", "work_item.updated",
            [
                "workItem/id=resource/revision/id", "workItem/rev=resource/rev", "workItem/title=resource/revision/fields/System.Title",
                "workItem/state=resource/fields/System.State/newValue", "workItem/assignedTo=resource/fields/System.AssignedTo/newValue",
                "workItem/url=resource/_links/parent/href", "actor/displayName=resource/revision/fields/System.ChangedBy",
                "revisedBy/displayName=resource/revision/fields/System.ChangedBy", "revisedDate=resource/fields/System.ChangedDate/newValue",
                "changedFields/System.State/oldValue=resource/fields/System.State/oldValue", "changedFields/System.State/newValue=resource/fields/System.State/newValue",
                "changedFields/System.Rev/newValue=resource/fields/System.Rev/newValue", "changedFieldsComplete==true",
            ]
        },
        { "workitem.deleted.json", "work_item.deleted", WorkItemFacts },
        { "workitem.restored.json", "work_item.restored", WorkItemFacts },
        { "workitem.commented.json", "work_item.commented", [.. WorkItemFacts, "comment/text=resource/fields/System.History", "comment/commentedBy=resource/fields/System.ChangedBy"] },
        {
            "build.complete.json", "build.completed",
            [
                "build/id=resource/id", "build/buildNumber=resource/buildNumber", "build/status=resource/status", "build/result=resource/result",
                "build/definition/id=resource/definition/id", "build/definition/name=resource/definition/name", "build/sourceBranch=resource/sourceBranch",
                "build/sourceVersion=resource/sourceVersion", "build/reason=resource/reason", "build/requestedFor/displayName=resource/requestedFor/displayName",
                "build/requestedFor/uniqueName=resource/requestedFor/uniqueName", "build/startTime=resource/startTime", "build/finishTime=resource/finishTime",
                "repository/id=resource/repository/id", "repository/name=resource/repository/name", "repository/type=resource/repository/type",
            ]
        },
        {
            "tfvc.checkin.json", "tfvc.checkin",
            [
                "changeset/id=resource/changesetId", "changeset/comment=resource/comment", "changeset/author/displayName=resource/author/displayName",
                "changeset/author/uniqueName=resource/author/uniqueName", "changeset/checkedInBy/displayName=resource/checkedInBy/displayName",
                "changeset/createdDate=resource/createdDate", "changeset/url=resource/url",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task PublishedSample_ReTargetedToTheSandbox_IsStoredWithEveryFactItHolds(string file, string type, string[] facts)
    {
        var sample = SandboxPayloads.Sample(file);
        var subscription = await fixture.SubscribeAsync(sample["eventType"]!.GetValue<string>());
        var projectId = ServiceHooksFixture.ProjectIdOf(subscription);
        var (url, secret) = await fixture.IngestOfAsync(subscription.GetProperty("hooks")[0]);
        var payload = SandboxPayloads.Retarget(sample, projectId);
        var sent = JsonDocument.Parse(payload.ToJsonString()).RootElement;
        using var http = new HttpClient();

        using var response = await http.SendAsync(SandboxPayloads.Post(url, payload.ToJsonString(), secret));

        var answer = await response.ShouldBeJsonAsync();
        answer.GetProperty("status").GetString().ShouldBe("accepted");
        using var api = fixture.Server.Client();
        var e = await (await api.GetAsync($"/v1/events/{answer.GetProperty("eventId").GetString()}")).ShouldBeJsonAsync();
        e.GetProperty("type").GetString().ShouldBe(type);
        e.GetProperty("source").GetString().ShouldBe("azure_devops");
        e.GetProperty("sourceEventType").GetString().ShouldBe(sample["eventType"]!.GetValue<string>());
        e.GetProperty("azureDevOpsEventId").GetString().ShouldBe(payload["id"]!.GetValue<string>());
        e.GetProperty("connectionId").GetString().ShouldBe(fixture.ConnectionId);
        e.GetProperty("organization").GetString().ShouldBe("fabrikam");
        e.GetProperty("project").GetString().ShouldBe(ServiceHooksFixture.Project);
        var data = e.GetProperty("data");
        SandboxPayloads.At(data, "organization").ShouldBe("fabrikam");
        SandboxPayloads.At(data, "project/id").ShouldBe(projectId);
        SandboxPayloads.At(e, "rawPayload/id").ShouldBe(payload["id"]!.GetValue<string>());
        foreach (var fact in facts)
        {
            var (dataPath, expected) = Expected(fact, sent);
            SandboxPayloads.At(data, dataPath).ShouldBe(expected, $"{file}: {fact}");
        }
    }

    /// <summary>"data/path=payload/path" (the payload's value, which must be there) or "data/path==literal".</summary>
    private static (string DataPath, string Expected) Expected(string fact, JsonElement sent)
    {
        var at = fact.IndexOf('=', StringComparison.Ordinal);
        if (fact[at + 1] == '=')
        {
            return (fact[..at], fact[(at + 2)..]);
        }

        var value = SandboxPayloads.At(sent, fact[(at + 1)..]);
        value.ShouldNotBeNull($"the sample has no {fact[(at + 1)..]}");
        return (fact[..at], value);
    }
}
