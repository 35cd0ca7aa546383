using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AdoBridge.Emulator;

namespace AdoBridge.IntegrationTests.Emulator;

/// <summary>What a code-review bot reads: iterations and what each changed (text and binary files), commits, linked
/// work items, policy evaluations, the system threads, and the merge Azure DevOps runs in the background.</summary>
public sealed class PullRequestReadPathTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0xFF, 0x00];

    [Fact]
    public async Task APullRequestOverTwoPushes_ShowsEachIterationsChangesCommitsAndContent()
    {
        var ado = AdoTestClient.For(fx);
        var pr = await OpenAsync(ado, "two-pushes");

        var iterations = (await ado.GetAsync($"{pr.Url}/iterations")).ShouldBe(HttpStatusCode.OK);
        var second = (await ado.GetAsync($"{pr.Url}/iterations/2")).ShouldBe(HttpStatusCode.OK);
        var third = await ado.GetAsync($"{pr.Url}/iterations/3");
        var all = (await ado.GetAsync($"{pr.Url}/iterations/2/changes")).ShouldBe(HttpStatusCode.OK);
        var sinceFirst = (await ado.GetAsync($"{pr.Url}/iterations/2/changes?$compareTo=1")).ShouldBe(HttpStatusCode.OK);
        var first = (await ado.GetAsync($"{pr.Url}/iterations/1/changes")).ShouldBe(HttpStatusCode.OK);
        var paged = (await ado.GetAsync($"{pr.Url}/iterations/2/changes?$top=1&$skip=1")).ShouldBe(HttpStatusCode.OK);
        var commits = (await ado.GetAsync($"{pr.Url}/commits")).ShouldBe(HttpStatusCode.OK);
        var iterationCommits = (await ado.GetAsync($"{pr.Url}/iterations/2/commits")).ShouldBe(HttpStatusCode.OK);
        var commitChanges = (await ado.GetAsync($"{ado.RepoPath}/commits/{pr.Second}/changes")).ShouldBe(HttpStatusCode.OK);

        iterations["count"].GetInt32().ShouldBe(2);
        second["reason"].GetString().ShouldBe("push");
        second["sourceRefCommit"].GetProperty("commitId").GetString().ShouldBe(pr.Second);
        second["commonRefCommit"].GetProperty("commitId").GetString().ShouldBe(pr.Base);
        second["push"].GetProperty("pushId").GetInt32().ShouldBeGreaterThan(0);
        third.ShouldBe(HttpStatusCode.NotFound)["typeKey"].GetString().ShouldBe("GitPullRequestIterationNotFoundException");

        Changes(all).ShouldBe([("/docs/review.md", "add"), ("/src/app.js", "edit")]);
        Changes(sinceFirst).ShouldBe([("/docs/review.md", "edit"), ("/img/logo.png", "delete"), ("/src/app.js", "edit")]);
        Changes(first).ShouldBe([("/docs/review.md", "add"), ("/img/logo.png", "add")]);
        Entry(all, "/docs/review.md").GetProperty("changeTrackingId").GetInt32().ShouldBe(Entry(first, "/docs/review.md").GetProperty("changeTrackingId").GetInt32());
        Entry(sinceFirst, "/img/logo.png").GetProperty("item").GetProperty("originalObjectId").GetString()
            .ShouldBe(Entry(first, "/img/logo.png").GetProperty("item").GetProperty("objectId").GetString());
        Entry(sinceFirst, "/img/logo.png").GetProperty("item").TryGetProperty("objectId", out _).ShouldBeFalse();
        paged["changeEntries"].GetArrayLength().ShouldBe(1);
        paged["changeEntries"][0].GetProperty("changeId").GetInt32().ShouldBe(2);

        commits["value"].EnumerateArray().Select(c => c.GetProperty("commitId").GetString()).ShouldBe([pr.Second, pr.First]);
        iterationCommits["value"].EnumerateArray().Select(c => c.GetProperty("commitId").GetString()).ShouldBe([pr.Second]);
        commitChanges["changeCounts"].GetProperty("Edit").GetInt32().ShouldBe(2);
        commitChanges["changeCounts"].GetProperty("Delete").GetInt32().ShouldBe(1);
        commitChanges["changes"].EnumerateArray().Select(c => c.GetProperty("item").GetProperty("path").GetString()).ShouldBe(["/docs/review.md", "/img/logo.png", "/src/app.js"]);
    }

    [Fact]
    public async Task ABinaryFile_ComesBackByteForByte()
    {
        var ado = AdoTestClient.For(fx);
        var pr = await OpenAsync(ado, "binary");

        using var raw = await SendAsync(ado, $"{ado.RepoPath}/items?path=/img/logo.png&versionDescriptor.version={pr.First}&versionDescriptor.versionType=commit&api-version=7.1", "application/octet-stream");
        var json = (await ado.GetAsync($"{ado.RepoPath}/items?path=/img/logo.png&versionDescriptor.version={pr.First}&versionDescriptor.versionType=commit&includeContent=true")).ShouldBe(HttpStatusCode.OK);
        var gone = await ado.GetAsync($"{ado.RepoPath}/items?path=/img/logo.png&versionDescriptor.version={pr.Second}&versionDescriptor.versionType=commit");
        var text = (await ado.GetAsync($"{ado.RepoPath}/items?path=/docs/review.md&versionDescriptor.version={pr.First}&versionDescriptor.versionType=commit&includeContent=true")).ShouldBe(HttpStatusCode.OK);

        raw.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await raw.Content.ReadAsByteArrayAsync()).ShouldBe(Png);
        json["content"].GetString().ShouldBe(Convert.ToBase64String(Png));
        json["contentMetadata"].GetProperty("isBinary").GetBoolean().ShouldBeTrue();
        gone.ShouldBe(HttpStatusCode.NotFound);
        text["content"].GetString().ShouldBe("# Review\n");
        text["contentMetadata"].GetProperty("encoding").GetInt32().ShouldBe(65001);
    }

    [Fact]
    public async Task ANewPullRequest_IsQueuedForMerge_ThenMergedOnTheNextRead()
    {
        var ado = AdoTestClient.For(fx);
        var branch = $"refs/heads/merge-{Guid.NewGuid():N}";
        await PushAsync(ado, branch, GitStore.ZeroId, ("/merge.txt", "add", "merge me", false));

        var created = (await ado.PostAsync($"{ado.RepoPath}/pullrequests", new { sourceRefName = branch, targetRefName = "refs/heads/main", title = "Merge later" })).ShouldBe(HttpStatusCode.Created);
        fx.State.AdvanceClock(TimeSpan.FromMilliseconds(1));
        var read = (await ado.GetAsync($"{ado.RepoPath}/pullrequests/{created["pullRequestId"].GetInt32()}")).ShouldBe(HttpStatusCode.OK);

        created["mergeStatus"].GetString().ShouldBe("queued");
        created.Json.TryGetProperty("lastMergeCommit", out _).ShouldBeFalse();
        read["mergeStatus"].GetString().ShouldBe("succeeded");
        read["lastMergeCommit"].GetProperty("commitId").GetString()!.Length.ShouldBe(40);
    }

    [Fact]
    public async Task LinkedWorkItemsAndPolicies_AnswerWhatBlocksThePullRequest()
    {
        var ado = AdoTestClient.For(fx);
        var pr = await OpenAsync(ado, "policies", workItem: 1);
        var bare = await OpenAsync(ado, "no-links");
        var projectId = (await ado.GetAsync($"{ado.OrgPath}/_apis/projects/{EmulatorDefaults.Project}")).ShouldBe(HttpStatusCode.OK)["id"].GetString();
        string Evaluations(int id) => $"{ado.OrgPath}/{EmulatorDefaults.Project}/_apis/policy/evaluations?artifactId={Uri.EscapeDataString($"vstfs:///CodeReview/CodeReviewId/{projectId}/{id}")}";

        var workItems = (await ado.GetAsync($"{pr.Url}/workitems")).ShouldBe(HttpStatusCode.OK);
        var before = (await ado.GetAsync(Evaluations(pr.Id))).ShouldBe(HttpStatusCode.OK);
        (await ado.PutAsync($"{pr.Url}/reviewers/{EmulatorDefaults.BobId}", new { vote = 10 })).ShouldBe(HttpStatusCode.OK);
        var after = (await ado.GetAsync(Evaluations(pr.Id))).ShouldBe(HttpStatusCode.OK);
        var unlinked = (await ado.GetAsync(Evaluations(bare.Id))).ShouldBe(HttpStatusCode.OK);
        var second = (await ado.GetAsync(Evaluations(pr.Id) + "&$top=1&$skip=1")).ShouldBe(HttpStatusCode.OK);
        var badArtifact = await ado.GetAsync($"{ado.OrgPath}/{EmulatorDefaults.Project}/_apis/policy/evaluations?artifactId=vstfs:///Git/PullRequestId/{pr.Id}");

        workItems["value"].EnumerateArray().Select(w => w.GetProperty("id").GetString()).ShouldBe(["1"]);
        workItems["value"][0].GetProperty("url").GetString()!.ShouldEndWith("/_apis/wit/workItems/1");
        Status(before, "Minimum number of reviewers").ShouldBe("queued");
        Status(before, "Work item linking").ShouldBe("approved");
        Status(after, "Minimum number of reviewers").ShouldBe("approved");
        Status(unlinked, "Work item linking").ShouldBe("rejected");
        second["value"].EnumerateArray().Single().GetProperty("evaluationId").GetString().ShouldBe(after["value"][1].GetProperty("evaluationId").GetString());
        var reviewers = after["value"].EnumerateArray().Single(e => e.GetProperty("configuration").GetProperty("type").GetProperty("displayName").GetString() == "Minimum number of reviewers");
        reviewers.GetProperty("configuration").GetProperty("isBlocking").GetBoolean().ShouldBeTrue();
        reviewers.GetProperty("configuration").GetProperty("settings").GetProperty("minimumApproverCount").GetInt32().ShouldBe(1);
        reviewers.GetProperty("artifactId").GetString().ShouldBe($"vstfs:///CodeReview/CodeReviewId/{projectId}/{pr.Id}");
        badArtifact.ShouldBe(HttpStatusCode.BadRequest).Message.ShouldContain("vstfs:///CodeReview/CodeReviewId/");
    }

    [Fact]
    public async Task PullRequestCommits_ArePagedAsGitDescribesThem()
    {
        var ado = AdoTestClient.For(fx);
        var pr = await OpenAsync(ado, "paging");

        var first = (await ado.GetAsync($"{pr.Url}/commits?$top=1")).ShouldBe(HttpStatusCode.OK);
        var rest = (await ado.GetAsync($"{pr.Url}/commits?$top=1&continuationToken={first.Headers["x-ms-continuationtoken"]}")).ShouldBe(HttpStatusCode.OK);
        var badToken = await ado.GetAsync($"{pr.Url}/commits?continuationToken=nope");
        var skipped = (await ado.GetAsync($"{pr.Url}/iterations/2/commits?top=1&skip=1")).ShouldBe(HttpStatusCode.OK);
        var firstOfIteration = (await ado.GetAsync($"{pr.Url}/iterations/2/commits?top=1")).ShouldBe(HttpStatusCode.OK);

        first["value"].EnumerateArray().Single().GetProperty("commitId").GetString().ShouldBe(pr.Second);
        rest["value"].EnumerateArray().Single().GetProperty("commitId").GetString().ShouldBe(pr.First);
        rest.Headers.ContainsKey("x-ms-continuationtoken").ShouldBeFalse();
        badToken.ShouldBe(HttpStatusCode.BadRequest).Message.ShouldContain("nope");
        skipped["count"].GetInt32().ShouldBe(0);
        firstOfIteration["value"].EnumerateArray().Single().GetProperty("commitId").GetString().ShouldBe(pr.Second);
    }

    [Fact]
    public async Task VotesReviewersPushesAndStatus_AddSystemThreads()
    {
        var ado = AdoTestClient.For(fx);
        var pr = await OpenAsync(ado, "system-threads");
        (await ado.PutAsync($"{pr.Url}/reviewers/{EmulatorDefaults.BobId}", new { })).ShouldBe(HttpStatusCode.OK);
        var bob = new AdoTestClient(fx.Http, fx.State.CreatePat(EmulatorDefaults.BobUpn, null, AdoTestClient.AllScopes));
        (await bob.PutAsync($"{pr.Url}/reviewers/{EmulatorDefaults.BobId}", new { vote = -5 })).ShouldBe(HttpStatusCode.OK);
        (await ado.PatchAsync(pr.Url, new { status = "abandoned" })).ShouldBe(HttpStatusCode.OK);

        var threads = (await ado.GetAsync($"{pr.Url}/threads")).ShouldBe(HttpStatusCode.OK)["value"].EnumerateArray().ToArray();

        string Type(System.Text.Json.JsonElement t) => t.GetProperty("properties").GetProperty("CodeReviewThreadType").GetProperty("$value").GetString()!;
        threads.Select(Type).ShouldBe(["RefUpdate", "ReviewersUpdate", "VoteUpdate", "StatusUpdate"]);
        var vote = threads.Single(t => Type(t) == "VoteUpdate");
        vote.GetProperty("properties").GetProperty("CodeReviewVoteResult").GetProperty("$value").GetString().ShouldBe("-5");
        vote.GetProperty("identities").GetProperty("1").GetProperty("id").GetString().ShouldBe(EmulatorDefaults.BobId);
        vote.GetProperty("comments")[0].GetProperty("commentType").GetString().ShouldBe("system");
        vote.GetProperty("comments")[0].GetProperty("content").GetString().ShouldBe("Bob Fabrikam voted -5");
        vote.GetProperty("isDeleted").GetBoolean().ShouldBeFalse();
        vote.TryGetProperty("status", out _).ShouldBeFalse();
        var reviewers = threads.Single(t => Type(t) == "ReviewersUpdate");
        reviewers.GetProperty("properties").GetProperty("CodeReviewReviewersUpdatedAddedIdentity").GetProperty("$value").GetString().ShouldBe("2");
        reviewers.GetProperty("identities").GetProperty("2").GetProperty("id").GetString().ShouldBe(EmulatorDefaults.BobId);
        threads.Single(t => Type(t) == "StatusUpdate").GetProperty("properties").GetProperty("CodeReviewStatus").GetProperty("$value").GetString().ShouldBe("Abandoned");
        threads.Single(t => Type(t) == "RefUpdate").GetProperty("properties").GetProperty("CodeReviewRefNewHeadCommit").GetProperty("$value").GetString().ShouldBe(pr.Second);
    }

    private sealed record OpenPr(int Id, string Url, string Base, string First, string Second);

    /// <summary>A branch off main with a first push (a text and a binary file), a pull request, then a second push that
    /// edits the text, deletes the binary file and edits a file main already had.</summary>
    private async Task<OpenPr> OpenAsync(AdoTestClient ado, string name, int? workItem = null)
    {
        var branch = $"refs/heads/review/{name}-{Guid.NewGuid():N}";
        var main = (await ado.GetAsync($"{ado.RepoPath}/refs?filter=heads/main")).ShouldBe(HttpStatusCode.OK)["value"][0].GetProperty("objectId").GetString()!;
        var first = await PushAsync(ado, branch, GitStore.ZeroId, ("/docs/review.md", "add", "# Review\n", false), ("/img/logo.png", "add", Convert.ToBase64String(Png), true));
        var created = (await ado.PostAsync($"{ado.RepoPath}/pullrequests", new
        {
            sourceRefName = branch,
            targetRefName = "refs/heads/main",
            title = $"Review {name}",
            workItemRefs = workItem is { } w ? new[] { new { id = w.ToString(System.Globalization.CultureInfo.InvariantCulture) } } : null,
        })).ShouldBe(HttpStatusCode.Created);
        var second = await PushAsync(ado, branch, first, ("/docs/review.md", "edit", "# Review\n\nSecond pass.\n", false), ("/img/logo.png", "delete", null, false), ("/src/app.js", "edit", "console.log('Fabrikam Fiber, reviewed');\n", false));
        var id = created["pullRequestId"].GetInt32();
        return new OpenPr(id, $"{ado.RepoPath}/pullRequests/{id}", main, first, second);
    }

    private static async Task<string> PushAsync(AdoTestClient ado, string branch, string oldObjectId, params (string Path, string Type, string? Content, bool Base64)[] changes)
    {
        var push = (await ado.PostAsync($"{ado.RepoPath}/pushes", new
        {
            refUpdates = new[] { new { name = branch, oldObjectId } },
            commits = new[]
            {
                new
                {
                    comment = $"Change {string.Join(", ", changes.Select(c => c.Path))}",
                    changes = changes.Select(c => new
                    {
                        changeType = c.Type,
                        item = new { path = c.Path },
                        newContent = c.Content is null ? null : new { content = c.Content, contentType = c.Base64 ? "base64encoded" : "rawtext" },
                    }).ToArray(),
                },
            },
        })).ShouldBe(HttpStatusCode.Created);
        return push["commits"][0].GetProperty("commitId").GetString()!;
    }

    private async Task<HttpResponseMessage> SendAsync(AdoTestClient ado, string path, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes(":" + fx.State.CreatePat(EmulatorDefaults.AliceUpn, null, ["vso.code"]))));
        request.Headers.Accept.ParseAdd(accept);
        return await fx.Http.SendAsync(request);
    }

    private static (string, string)[] Changes(Answer answer) =>
        answer["changeEntries"].EnumerateArray().Select(e => (e.GetProperty("item").GetProperty("path").GetString()!, e.GetProperty("changeType").GetString()!)).ToArray();

    private static System.Text.Json.JsonElement Entry(Answer answer, string path) =>
        answer["changeEntries"].EnumerateArray().Single(e => e.GetProperty("item").GetProperty("path").GetString() == path);

    private static string Status(Answer answer, string policy) =>
        answer["value"].EnumerateArray().Single(e => e.GetProperty("configuration").GetProperty("type").GetProperty("displayName").GetString() == policy).GetProperty("status").GetString()!;
}
