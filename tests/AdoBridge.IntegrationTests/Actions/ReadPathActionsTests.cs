using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Actions;

/// <summary>The read paths review bots, work-item sync and CI read first, as typed actions against the emulator.</summary>
public sealed class ReadPathActionsTests(ActionsFixture fixture) : IClassFixture<ActionsFixture>
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0xFF, 0x00];

    [Fact]
    public async Task ChangedFiles_SpanIterations_WithUnifiedDiffs_AndBinaryFilesMarked()
    {
        using var api = fixture.Server.Client();
        var (pr, first, second) = await PullRequestOverTwoPushesAsync(api);

        var latest = await (await api.GetAsync($"{pr}/changes?diff=true")).ShouldBeJsonAsync();
        var firstOnly = await (await api.GetAsync($"{pr}/changes?iteration=1&diff=true")).ShouldBeJsonAsync();
        var between = await (await api.GetAsync($"{pr}/changes?iteration=2&compareTo=1&diff=true")).ShouldBeJsonAsync();
        var plain = await (await api.GetAsync($"{pr}/changes")).ShouldBeJsonAsync();
        var badCompare = await api.GetAsync($"{pr}/changes?iteration=1&compareTo=1");
        var noIteration = await api.GetAsync($"{pr}/changes?iteration=9");

        latest.GetProperty("iteration").GetInt32().ShouldBe(2);
        latest.GetProperty("sourceCommit").GetString().ShouldBe(second);
        Files(latest).ShouldBe([("/docs/notes.md", "add"), ("/src/app.js", "edit")]);
        File(latest, "/src/app.js").GetProperty("diff").GetString().ShouldBe(
            "--- a/src/app.js\n+++ b/src/app.js\n@@ -1 +1,2 @@\n-console.log('Fabrikam Fiber');\n+console.log('Fabrikam Fiber, reviewed');\n+export {};\n");
        File(latest, "/docs/notes.md").GetProperty("diff").GetString().ShouldBe("--- /dev/null\n+++ b/docs/notes.md\n@@ -0,0 +1,3 @@\n+# Notes\n+\n+Second pass.\n");
        Files(firstOnly).ShouldBe([("/docs/notes.md", "add"), ("/img/logo.png", "add")]);
        File(firstOnly, "/img/logo.png").GetProperty("binary").GetBoolean().ShouldBeTrue();
        File(firstOnly, "/img/logo.png").GetProperty("diffOmitted").GetString().ShouldBe("binary file");
        firstOnly.GetProperty("sourceCommit").GetString().ShouldBe(first);
        Files(between).ShouldBe([("/docs/notes.md", "edit"), ("/img/logo.png", "delete"), ("/src/app.js", "edit")]);
        File(between, "/docs/notes.md").GetProperty("diff").GetString().ShouldBe("--- a/docs/notes.md\n+++ b/docs/notes.md\n@@ -1 +1,3 @@\n # Notes\n+\n+Second pass.\n");
        File(between, "/img/logo.png").GetProperty("binary").GetBoolean().ShouldBeTrue();
        (!File(plain, "/src/app.js").TryGetProperty("diff", out var d) || d.ValueKind == JsonValueKind.Null).ShouldBeTrue("no diff unless asked");
        (await badCompare.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("field").GetString().ShouldBe("compareTo");
        (await noIteration.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("field").GetString().ShouldBe("iteration");
    }

    [Fact]
    public async Task FileContent_AtABranchOrCommit_TextAndBinary()
    {
        using var api = fixture.Server.Client();
        var (_, first, _) = await PullRequestOverTwoPushesAsync(api);

        var text = await (await api.GetAsync($"{fixture.RepoPath}/files?path=/README.md&version=main")).ShouldBeJsonAsync();
        var binary = await (await api.GetAsync($"{fixture.RepoPath}/files?path=/img/logo.png&version={first}")).ShouldBeJsonAsync();
        var missing = await api.GetAsync($"{fixture.RepoPath}/files?path=/nope.txt&version=main");
        var noPath = await api.GetAsync($"{fixture.RepoPath}/files?version=main");

        text.GetProperty("content").GetString()!.ShouldStartWith("# Fabrikam Fiber");
        text.GetProperty("binary").GetBoolean().ShouldBeFalse();
        binary.GetProperty("binary").GetBoolean().ShouldBeTrue();
        Convert.FromBase64String(binary.GetProperty("contentBase64").GetString()!).ShouldBe(Png);
        binary.GetProperty("commitId").GetString().ShouldBe(first);
        (await missing.ShouldBeProblemAsync(HttpStatusCode.NotFound)).GetProperty("azureTypeKey").GetString().ShouldBe("GitItemNotFoundException");
        (await noPath.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("field").GetString().ShouldBe("path");
    }

    [Fact]
    public async Task PullRequestCommitsLinkedWorkItemsAndPolicies()
    {
        using var api = fixture.Server.Client();
        var (pr, first, second) = await PullRequestOverTwoPushesAsync(api, workItem: 2);

        var commits = await (await api.GetAsync($"{pr}/commits")).ShouldBeJsonAsync();
        var workItems = await (await api.GetAsync($"{pr}/work-items")).ShouldBeJsonAsync();
        var policies = await (await api.GetAsync($"{pr}/policy-evaluations")).ShouldBeJsonAsync();

        commits.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("commitId").GetString()).ShouldBe([second, first]);
        workItems.GetProperty("items").EnumerateArray().Select(w => w.GetProperty("id").GetString()).ShouldBe(["2"]);
        var statuses = policies.GetProperty("items").EnumerateArray().ToDictionary(p => p.GetProperty("configuration").GetProperty("type").GetProperty("displayName").GetString()!, p => p.GetProperty("status").GetString());
        statuses["Minimum number of reviewers"].ShouldBe("queued");
        statuses["Work item linking"].ShouldBe("approved");
    }

    [Fact]
    public async Task IdentitiesWorkItemUpdatesAndTypes()
    {
        using var api = fixture.Server.Client();
        var created = await (await api.PostAsJsonAsync($"{fixture.ProjectPath}/work-items", new { type = "Bug", fields = new Dictionary<string, object> { ["System.Title"] = "Updates action" } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt32();
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"{fixture.Org}/work-items/{id}")
        {
            Content = JsonContent.Create(new[] { new { op = "replace", path = "/fields/System.State", value = "Active" } }),
        };
        (await api.SendAsync(patch)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var bob = await (await api.GetAsync($"{fixture.Org}/identities?search=bob@fabrikam.onmicrosoft.com&by=mail")).ShouldBeJsonAsync();
        var general = await (await api.GetAsync($"{fixture.Org}/identities?search=Bob")).ShouldBeJsonAsync();
        var badBy = await api.GetAsync($"{fixture.Org}/identities?search=bob&by=nickname");
        var updates = await (await api.GetAsync($"{fixture.Org}/work-items/{id}/updates")).ShouldBeJsonAsync();
        var types = await (await api.GetAsync($"{fixture.ProjectPath}/work-item-types")).ShouldBeJsonAsync();

        bob.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetString().ShouldBe(ActionsTestData.BobId);
        general.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ShouldContain(ActionsTestData.BobId);
        (await badBy.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("field").GetString().ShouldBe("by");
        var last = updates.GetProperty("items").EnumerateArray().Last();
        last.GetProperty("fields").GetProperty("System.State").GetProperty("newValue").GetString().ShouldBe("Active");
        last.GetProperty("revisedBy").GetProperty("id").GetString().ShouldBe(ActionsFixture.AliceId);
        var task = types.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "Task");
        task.GetProperty("states").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ShouldBe(["New", "Active", "Closed", "Removed"]);
    }

    [Fact]
    public async Task Builds_QueueOnABranchWithParameters_GetListAndLogs()
    {
        using var api = fixture.Server.Client();

        var definitions = await (await api.GetAsync($"{fixture.ProjectPath}/build-definitions?name=*CI")).ShouldBeJsonAsync();
        var queued = await (await api.PostAsJsonAsync($"{fixture.ProjectPath}/builds", new { definitionId = 1, branch = "feature/search", parameters = new Dictionary<string, string> { ["configuration"] = "release" } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var buildId = queued.GetProperty("id").GetInt32();
        var got = await (await api.GetAsync($"{fixture.ProjectPath}/builds/{buildId}")).ShouldBeJsonAsync();
        var listed = await (await api.GetAsync($"{fixture.ProjectPath}/builds?definitionId=1&branch=feature/search")).ShouldBeJsonAsync();
        var firstPage = await (await api.GetAsync($"{fixture.ProjectPath}/build-definitions?top=1")).ShouldBeJsonAsync();
        var nextPage = await (await api.GetAsync($"{fixture.ProjectPath}/build-definitions?top=1&continuationToken={Uri.EscapeDataString(firstPage.GetProperty("continuationToken").GetString()!)}")).ShouldBeJsonAsync();
        var logs = await (await api.GetAsync($"{fixture.ProjectPath}/builds/{buildId}/logs")).ShouldBeJsonAsync();
        var lines = await (await api.GetAsync($"{fixture.ProjectPath}/builds/{buildId}/logs/2?startLine=2&endLine=3")).ShouldBeJsonAsync();
        var noDefinition = await api.PostAsJsonAsync($"{fixture.ProjectPath}/builds", new { branch = "main" });
        var badBranch = await api.PostAsJsonAsync($"{fixture.ProjectPath}/builds", new { definitionId = 1, branch = "no/such/branch" });

        definitions.GetProperty("items").EnumerateArray().Single().GetProperty("name").GetString().ShouldBe("Fabrikam-Fiber-CI");
        queued.GetProperty("sourceBranch").GetString().ShouldBe("refs/heads/feature/search");
        JsonDocument.Parse(queued.GetProperty("parameters").GetString()!).RootElement.GetProperty("configuration").GetString().ShouldBe("release");
        got.GetProperty("status").GetString().ShouldBe("inProgress");
        listed.GetProperty("items").EnumerateArray().Select(b => b.GetProperty("id").GetInt32()).ShouldContain(buildId);
        firstPage.GetProperty("items").EnumerateArray().Single().GetProperty("name").GetString().ShouldBe("Fabrikam-Fiber-CI");
        nextPage.GetProperty("items").EnumerateArray().Single().GetProperty("name").GetString().ShouldBe("Fabrikam-Fiber-Release");
        logs.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("id").GetInt32()).ShouldBe([1, 2]);
        lines.GetProperty("items").EnumerateArray().Select(l => l.GetString()).Count().ShouldBe(2);
        lines.GetProperty("items")[0].GetString()!.ShouldContain("Syncing repository: Fabrikam-Fiber-Git");
        (await noDefinition.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("field").GetString().ShouldBe("definitionId");
        (await badBranch.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("azureMessage").GetString()!.ShouldContain("no/such/branch");
    }

    /// <summary>A pull request from a new branch: a first push adds notes and a binary logo, a second edits the notes,
    /// deletes the logo and edits a file main has; both pushes through the proxy, as a product's CI would push.</summary>
    private async Task<(string Pr, string First, string Second)> PullRequestOverTwoPushesAsync(HttpClient api, int? workItem = null)
    {
        var branch = "refs/heads/review/" + Guid.NewGuid().ToString("N")[..8];
        var first = await PushAsync(api, branch, new string('0', 40),
            new { changeType = "add", item = new { path = "/docs/notes.md" }, newContent = new { content = "# Notes\n", contentType = "rawtext" } },
            new { changeType = "add", item = new { path = "/img/logo.png" }, newContent = new { content = Convert.ToBase64String(Png), contentType = "base64encoded" } });
        var created = await (await api.PostAsJsonAsync($"/v1/proxy/{fixture.ConnectionId}/fabrikam/{ActionsFixture.Project}/_apis/git/repositories/{ActionsFixture.Repository}/pullrequests?api-version=7.1", new
        {
            sourceRefName = branch,
            targetRefName = "refs/heads/main",
            title = "Review me",
            workItemRefs = workItem is { } w ? new[] { new { id = w.ToString(System.Globalization.CultureInfo.InvariantCulture) } } : null,
        })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var second = await PushAsync(api, branch, first,
            new { changeType = "edit", item = new { path = "/docs/notes.md" }, newContent = new { content = "# Notes\n\nSecond pass.\n", contentType = "rawtext" } },
            new { changeType = "delete", item = new { path = "/img/logo.png" }, newContent = (object?)null },
            new { changeType = "edit", item = new { path = "/src/app.js" }, newContent = new { content = "console.log('Fabrikam Fiber, reviewed');\nexport {};\n", contentType = "rawtext" } });
        return ($"{fixture.RepoPath}/pull-requests/{created.GetProperty("pullRequestId").GetInt32()}", first, second);
    }

    private async Task<string> PushAsync(HttpClient api, string branch, string oldObjectId, params object[] changes)
    {
        var push = await (await api.PostAsJsonAsync($"/v1/proxy/{fixture.ConnectionId}/fabrikam/{ActionsFixture.Project}/_apis/git/repositories/{ActionsFixture.Repository}/pushes?api-version=7.1", new
        {
            refUpdates = new[] { new { name = branch, oldObjectId } },
            commits = new[] { new { comment = "Review change", changes } },
        })).ShouldBeJsonAsync(HttpStatusCode.Created);
        return push.GetProperty("commits")[0].GetProperty("commitId").GetString()!;
    }

    private static (string, string)[] Files(JsonElement answer) =>
        answer.GetProperty("files").EnumerateArray().Select(f => (f.GetProperty("path").GetString()!, f.GetProperty("changeType").GetString()!)).ToArray();

    private static JsonElement File(JsonElement answer, string path) =>
        answer.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("path").GetString() == path);
}
