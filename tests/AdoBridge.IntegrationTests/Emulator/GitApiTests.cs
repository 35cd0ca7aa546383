using System.Net;
using AdoBridge.Emulator;

namespace AdoBridge.IntegrationTests.Emulator;

public sealed class GitApiTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Repositories_ListAndGetByName_WithUrlsFromTheRequestBase()
    {
        var ado = AdoTestClient.For(fx);

        var list = (await ado.GetAsync($"{ado.OrgPath}/{AdoTestClient.Project}/_apis/git/repositories")).ShouldBe(HttpStatusCode.OK);
        var byName = (await ado.GetAsync($"{ado.OrgPath}/_apis/git/repositories/{EmulatorDefaults.Repository}")).ShouldBe(HttpStatusCode.OK);
        var missing = await ado.GetAsync($"{ado.OrgPath}/_apis/git/repositories/nope");

        list["count"].GetInt32().ShouldBe(2);
        byName["id"].GetString().ShouldBe(EmulatorDefaults.RepositoryId);
        byName["remoteUrl"].GetString().ShouldBe($"{fx.Host.BaseUrl}{EmulatorDefaults.DevOpsHost}/fabrikam/{EmulatorDefaults.Project}/_git/{EmulatorDefaults.Repository}");
        byName["_links"].GetProperty("pullRequests").GetProperty("href").GetString()!.ShouldStartWith(fx.Host.BaseUrl.ToString());
        missing.ShouldBe(HttpStatusCode.NotFound).Message.ShouldStartWith("TF401019");
    }

    [Fact]
    public async Task RefsCommitsAndItems_ReadTheSeededHistory_AndRefsPageWithContinuationTokens()
    {
        var ado = AdoTestClient.For(fx);

        var heads = (await ado.GetAsync($"{ado.RepoPath}/refs?filter=heads/")).ShouldBe(HttpStatusCode.OK);
        var firstPage = (await ado.GetAsync($"{ado.RepoPath}/refs?filter=heads/&$top=2")).ShouldBe(HttpStatusCode.OK);
        var secondPage = (await ado.GetAsync($"{ado.RepoPath}/refs?filter=heads/&$top=2&continuationToken={firstPage.Headers["x-ms-continuationtoken"]}")).ShouldBe(HttpStatusCode.OK);
        var commits = (await ado.GetAsync($"{ado.RepoPath}/commits?searchCriteria.itemVersion.version=main&$top=2")).ShouldBe(HttpStatusCode.OK);
        var readme = await ado.GetAsync($"{ado.RepoPath}/items?path=/README.md&includeContent=true");

        heads["value"].EnumerateArray().Select(r => r.GetProperty("name").GetString()).ShouldContain("refs/heads/feature/login");
        heads["value"].EnumerateArray().ShouldNotContain(r => r.GetProperty("name").GetString()!.StartsWith("refs/tags/", StringComparison.Ordinal));
        firstPage["count"].GetInt32().ShouldBe(2);
        (firstPage["count"].GetInt32() + secondPage["count"].GetInt32()).ShouldBe(heads["count"].GetInt32());
        commits["count"].GetInt32().ShouldBe(2);
        commits["value"][0].GetProperty("comment").GetString().ShouldBe("Add azure-pipelines.yml");
        readme["content"].GetString()!.ShouldContain("Fabrikam Fiber");
    }

    [Fact]
    public async Task Push_MovesTheBranch_AndAStaleOldObjectIdIs409()
    {
        var ado = AdoTestClient.For(fx);
        var head = (await ado.GetAsync($"{ado.RepoPath}/refs?filter=heads/users/bob/readme-typo"))["value"][0].GetProperty("objectId").GetString();

        var push = await ado.PostAsync($"{ado.RepoPath}/pushes", new
        {
            refUpdates = new[] { new { name = "refs/heads/users/bob/readme-typo", oldObjectId = head } },
            commits = new[] { new { comment = "Add notes", changes = new[] { new { changeType = "add", item = new { path = "/docs/notes.md" }, newContent = new { content = "notes", contentType = "rawtext" } } } } },
        });
        var stale = await ado.PostAsync($"{ado.RepoPath}/pushes", new
        {
            refUpdates = new[] { new { name = "refs/heads/users/bob/readme-typo", oldObjectId = head } },
            commits = new[] { new { comment = "Again", changes = new[] { new { changeType = "edit", item = new { path = "/docs/notes.md" }, newContent = new { content = "x", contentType = "rawtext" } } } } },
        });
        var raw = await ado.GetAsync($"{ado.RepoPath}/items?path=/docs/notes.md&versionDescriptor.version=users/bob/readme-typo&$format=octetStream");

        push.ShouldBe(HttpStatusCode.Created)["refUpdates"][0].GetProperty("oldObjectId").GetString().ShouldBe(head);
        stale.ShouldBe(HttpStatusCode.Conflict).Message.ShouldStartWith("TF401028");
        raw.Text.ShouldBe("notes");
    }

    [Fact]
    public async Task CommitStatuses_CreateAndList()
    {
        var ado = AdoTestClient.For(fx);
        var commit = (await ado.GetAsync($"{ado.RepoPath}/commits?$top=1"))["value"][0].GetProperty("commitId").GetString();

        var created = await ado.PostAsync($"{ado.RepoPath}/commits/{commit}/statuses", new { state = "succeeded", description = "Build passed", targetUrl = "https://ci.example/1", context = new { name = "build", genre = "ci" } });
        var noName = await ado.PostAsync($"{ado.RepoPath}/commits/{commit}/statuses", new { state = "succeeded", context = new { genre = "ci" } });
        var list = (await ado.GetAsync($"{ado.RepoPath}/commits/{commit}/statuses")).ShouldBe(HttpStatusCode.OK);

        created.ShouldBe(HttpStatusCode.Created)["context"].GetProperty("name").GetString().ShouldBe("build");
        noName.Status.ShouldBe(HttpStatusCode.BadRequest);
        list["value"].EnumerateArray().ShouldContain(s => s.GetProperty("state").GetString() == "succeeded");
    }
}
