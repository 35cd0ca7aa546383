using System.Net;
using AdoBridge.Emulator;

namespace AdoBridge.IntegrationTests.Emulator;

public sealed class PullRequestFlowTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task CreateListVoteReplyComplete_MergesIntoTheTargetBranch()
    {
        var alice = AdoTestClient.For(fx);
        var bob = AdoTestClient.For(fx, EmulatorDefaults.BobUpn);
        var source = "refs/heads/users/bob/readme-typo";

        var created = (await bob.PostAsync($"{bob.RepoPath}/pullrequests", new { sourceRefName = source, targetRefName = "refs/heads/main", title = "Fix README typo", reviewers = new[] { new { id = EmulatorDefaults.AliceId } } })).ShouldBe(HttpStatusCode.Created);
        var id = created["pullRequestId"].GetInt32();
        var duplicate = await bob.PostAsync($"{bob.RepoPath}/pullrequests", new { sourceRefName = source, targetRefName = "refs/heads/main", title = "Again" });
        var mine = (await alice.GetAsync($"{alice.RepoPath}/pullrequests?searchCriteria.reviewerId={EmulatorDefaults.AliceId}&searchCriteria.sourceRefName={source}")).ShouldBe(HttpStatusCode.OK);
        var vote = (await alice.PutAsync($"{alice.RepoPath}/pullrequests/{id}/reviewers/{EmulatorDefaults.AliceId}", new { vote = 10 })).ShouldBe(HttpStatusCode.OK);
        var badVote = await alice.PutAsync($"{alice.RepoPath}/pullrequests/{id}/reviewers/{EmulatorDefaults.AliceId}", new { vote = 7 });
        var thread = (await alice.PostAsync($"{alice.RepoPath}/pullrequests/{id}/threads", new { comments = new[] { new { parentCommentId = 0, content = "Nice catch", commentType = 1 } }, status = 1 })).ShouldBe(HttpStatusCode.OK);
        var threadId = thread["id"].GetInt32();
        var reply = (await bob.PostAsync($"{bob.RepoPath}/pullrequests/{id}/threads/{threadId}/comments", new { parentCommentId = 1, content = "Thanks!" })).ShouldBe(HttpStatusCode.OK);
        (await alice.PatchAsync($"{alice.RepoPath}/pullrequests/{id}/threads/{threadId}", new { status = "fixed" })).ShouldBe(HttpStatusCode.OK)["status"].GetString().ShouldBe("fixed");
        var status = (await bob.PostAsync($"{bob.RepoPath}/pullrequests/{id}/statuses", new { state = "succeeded", context = new { name = "lint", genre = "ci" }, iterationId = 1 })).ShouldBe(HttpStatusCode.OK);
        var completed = (await bob.PatchAsync($"{bob.RepoPath}/pullrequests/{id}", new { status = "completed", lastMergeSourceCommit = new { commitId = created["lastMergeSourceCommit"].GetProperty("commitId").GetString() }, completionOptions = new { deleteSourceBranch = true } })).ShouldBe(HttpStatusCode.OK);
        var readme = await alice.GetAsync($"{alice.RepoPath}/items?path=/README.md&includeContent=true");
        var orgLevel = (await alice.GetAsync($"{alice.OrgPath}/_apis/git/pullrequests/{id}")).ShouldBe(HttpStatusCode.OK);

        duplicate.ShouldBe(HttpStatusCode.Conflict).Message.ShouldStartWith("TF401179");
        mine["value"].EnumerateArray().Select(p => p.GetProperty("pullRequestId").GetInt32()).ShouldBe([id]);
        vote["vote"].GetInt32().ShouldBe(10);
        badVote.Status.ShouldBe(HttpStatusCode.BadRequest);
        reply["parentCommentId"].GetInt32().ShouldBe(1);
        reply["author"].GetProperty("uniqueName").GetString().ShouldBe(EmulatorDefaults.BobUpn);
        status["context"].GetProperty("genre").GetString().ShouldBe("ci");
        completed["status"].GetString().ShouldBe("completed");
        completed["closedDate"].GetString().ShouldNotBeNullOrEmpty();
        readme["content"].GetString()!.ShouldContain("Fabrikam Fiber, Inc.");
        orgLevel["status"].GetString().ShouldBe("completed");
        (await alice.GetAsync($"{alice.RepoPath}/refs?filter=heads/users/bob/"))["count"].GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Errors_HaveTheServiceShapeAndCodes()
    {
        var ado = AdoTestClient.For(fx);

        var missing = await ado.GetAsync($"{ado.RepoPath}/pullrequests/9999");
        var noBranch = await ado.PostAsync($"{ado.RepoPath}/pullrequests", new { sourceRefName = "refs/heads/nope", targetRefName = "refs/heads/main", title = "x" });

        missing.ShouldBe(HttpStatusCode.NotFound).Message.ShouldStartWith("TF401180");
        missing["typeKey"].GetString().ShouldBe("GitPullRequestNotFoundException");
        missing["$id"].GetString().ShouldBe("1");
        noBranch.Status.ShouldBe(HttpStatusCode.NotFound);
    }
}
