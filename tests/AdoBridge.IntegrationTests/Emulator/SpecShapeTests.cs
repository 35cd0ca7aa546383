using System.Net;
using AdoBridge.Emulator;

namespace AdoBridge.IntegrationTests.Emulator;

/// <summary>The read paths review bots, work-item sync and CI use answer in the shapes of Microsoft's REST API
/// specifications: each answer has every field of the 7.1 httpExample (SpecExamples/*.json name the example file and
/// the vsts-rest-api-specs commit they were copied from; where 7.1 has no example, the body lists the definition's fields).</summary>
public sealed class SpecShapeTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public void TheComparer_NamesARenamedOrMissingField()
    {
        var example = SpecShape.Example("git-pr-iteration-changes");
        using var renamed = System.Text.Json.JsonDocument.Parse("""{"changeEntries":[{"changeTrackingId":1,"changeId":1,"item":{"objectId":"a","filePath":"/x"},"changeType":"add"}]}""");
        using var numeric = System.Text.Json.JsonDocument.Parse("""{"changeEntries":[{"changeTrackingId":1,"changeId":1,"item":{"objectId":"a","path":"/x"},"changeType":1}]}""");

        SpecShape.Differences(example, renamed.RootElement).ShouldBe(["$.changeEntries[].item.path: missing"]);
        SpecShape.Differences(example, numeric.RootElement).ShouldBe(["$.changeEntries[].changeType: expected String, got Number"]);
    }

    [Fact]
    public async Task GitReadPaths_HaveTheFieldsOfMicrosoftsExamples()
    {
        var shapes = new List<string>();
        var ado = AdoTestClient.For(fx);
        var pr = await OpenAsync(ado);

        (await ado.GetAsync($"{pr.Url}/iterations")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "git-pr-iterations");
        (await ado.GetAsync($"{pr.Url}/iterations/2")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "git-pr-iteration");
        (await ado.GetAsync($"{pr.Url}/iterations/2/changes")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "git-pr-iteration-changes");
        (await ado.GetAsync($"{pr.Url}/commits")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "git-pr-commits");
        (await ado.GetAsync($"{pr.Url}/iterations/2/commits")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "git-pr-commits");
        (await ado.GetAsync($"{pr.Url}/workitems")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "git-pr-workitems");
        (await ado.GetAsync($"{ado.RepoPath}/commits/{pr.First}")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "git-commit");
        (await ado.GetAsync($"{ado.RepoPath}/commits/{pr.First}/changes")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "git-commit-changes");
        (await ado.GetAsync($"{ado.RepoPath}/items?scopePath=/docs/review.md&versionDescriptor.version={pr.First}&versionDescriptor.versionType=commit")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "git-items-list-file");
        (await ado.GetAsync($"{ado.RepoPath}/items?scopePath=/docs&recursionLevel=OneLevel&versionDescriptor.version={pr.First}&versionDescriptor.versionType=commit")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "git-items-list-folder");

        var projectId = (await ado.GetAsync($"{ado.OrgPath}/_apis/projects/{EmulatorDefaults.Project}")).ShouldBe(HttpStatusCode.OK)["id"].GetString();
        var artifact = Uri.EscapeDataString($"vstfs:///CodeReview/CodeReviewId/{projectId}/{pr.Id}");
        (await ado.GetAsync($"{ado.OrgPath}/{EmulatorDefaults.Project}/_apis/policy/evaluations?artifactId={artifact}")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "policy-evaluations", "$.value[].configuration.settings");

        shapes.ShouldBeEmpty();
    }

    [Fact]
    public async Task WorkItemReadPaths_HaveTheFieldsOfMicrosoftsExamples()
    {
        var shapes = new List<string>();
        var ado = AdoTestClient.For(fx);
        var project = $"{ado.OrgPath}/{EmulatorDefaults.Project}/_apis/wit";
        var created = (await ado.PostAsync($"{project}/workitems/$Bug", new object[] { new { op = "add", path = "/fields/System.Title", value = "Shape check" } }, "application/json-patch+json")).ShouldBe(HttpStatusCode.OK);
        var item = $"{ado.OrgPath}/_apis/wit/workitems/{created["id"].GetInt32()}";
        (await ado.PatchAsync(item, new object[] { new { op = "replace", path = "/fields/System.State", value = "Active" } }, "application/json-patch+json")).ShouldBe(HttpStatusCode.OK);

        // Field names are data: the example's fields (and their old/new values) are its work item's, not a schema.
        (await ado.GetAsync($"{item}/updates")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "wit-updates", "$.value[].fields", "$.value[].relations");
        (await ado.GetAsync($"{item}/updates/2")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "wit-update", "$.fields", "$.relations");
        (await ado.GetAsync($"{item}/revisions")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "wit-revisions", "$.value[].fields");
        (await ado.GetAsync($"{item}/revisions/1")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "wit-revision", "$.fields");
        (await ado.GetAsync($"{project}/workitemtypes")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "wit-types", "$.value[].transitions");
        (await ado.GetAsync($"{project}/workitemtypes/Bug")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "wit-type", "$.transitions");
        (await ado.GetAsync($"{project}/workitemtypes/Bug/states")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "wit-type-states");
        (await ado.GetAsync($"{ado.OrgPath}/_apis/wit/fields")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "wit-fields");
        (await ado.GetAsync($"{ado.OrgPath}/_apis/wit/fields/System.Title")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "wit-field");
        (await ado.GetAsync($"{project}/classificationnodes/Areas?$depth=2")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "wit-areas-depth2");
        (await ado.GetAsync($"{project}/classificationnodes/Iterations")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "wit-iterations");

        shapes.ShouldBeEmpty();
    }

    [Fact]
    public async Task TeamsIdentitiesBuildsAndHooks_HaveTheFieldsOfMicrosoftsExamples()
    {
        var shapes = new List<string>();
        var ado = AdoTestClient.For(fx);
        var projectId = (await ado.GetAsync($"{ado.OrgPath}/_apis/projects/{EmulatorDefaults.Project}")).ShouldBe(HttpStatusCode.OK)["id"].GetString();
        var teams = (await ado.GetAsync($"{ado.OrgPath}/_apis/projects/{projectId}/teams")).ShouldBe(HttpStatusCode.OK);
        teams.Json.Check(shapes, "core-teams");
        (await ado.GetAsync($"{ado.OrgPath}/_apis/projects/{projectId}/teams/{teams["value"][0].GetProperty("id").GetString()}")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "core-team");
        (await ado.GetAsync($"{EmulatorDefaults.VsspsHost}/fabrikam/_apis/identities?searchFilter=General&filterValue={Uri.EscapeDataString(EmulatorDefaults.BobUpn)}&queryMembership=None"))
            .ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "ims-identities-by-email", "$.value[].properties");

        var build = $"{ado.OrgPath}/{EmulatorDefaults.Project}/_apis/build";
        (await ado.GetAsync($"{build}/definitions")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "build-definitions");
        (await ado.GetAsync($"{build}/definitions/1")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "build-definition");
        var queued = (await ado.PostAsync($"{build}/builds", new { definition = new { id = 1 } })).ShouldBe(HttpStatusCode.OK);
        queued.Json.Check(shapes, "build");
        (await ado.GetAsync($"{build}/builds/{queued["id"].GetInt32()}")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "build");
        (await ado.GetAsync($"{build}/builds?definitions=1")).ShouldBe(HttpStatusCode.OK)["value"][0].Check(shapes, "build");
        (await ado.GetAsync($"{build}/builds/{queued["id"].GetInt32()}/logs")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "build-logs");

        (await ado.GetAsync($"{ado.OrgPath}/_apis/hooks/consumers")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "hooks-consumers", "$.value[].actions[].supportedResourceVersions");
        (await ado.GetAsync($"{ado.OrgPath}/_apis/hooks/consumers/webHooks")).ShouldBe(HttpStatusCode.OK).Json.Check(shapes, "hooks-consumer", "$.actions[].supportedResourceVersions");

        shapes.ShouldBeEmpty();
    }

    private sealed record OpenPr(int Id, string Url, string First);

    /// <summary>A branch with a first push, a pull request linked to work item 1, then a second push (two iterations).</summary>
    private static async Task<OpenPr> OpenAsync(AdoTestClient ado)
    {
        var branch = $"refs/heads/shape/{Guid.NewGuid():N}";
        var first = await PushAsync(ado, branch, GitStore.ZeroId, "add", "# Shape\n");
        var created = (await ado.PostAsync($"{ado.RepoPath}/pullrequests", new
        {
            sourceRefName = branch,
            targetRefName = "refs/heads/main",
            title = "Shape check",
            workItemRefs = new[] { new { id = "1" } },
        })).ShouldBe(HttpStatusCode.Created);
        await PushAsync(ado, branch, first, "edit", "# Shape\n\nAgain.\n");
        var id = created["pullRequestId"].GetInt32();
        return new OpenPr(id, $"{ado.RepoPath}/pullRequests/{id}", first);
    }

    private static async Task<string> PushAsync(AdoTestClient ado, string branch, string oldObjectId, string changeType, string content)
    {
        var push = (await ado.PostAsync($"{ado.RepoPath}/pushes", new
        {
            refUpdates = new[] { new { name = branch, oldObjectId } },
            commits = new[]
            {
                new
                {
                    comment = $"{changeType} /docs/review.md",
                    changes = new[] { new { changeType, item = new { path = "/docs/review.md" }, newContent = new { content, contentType = "rawtext" } } },
                },
            },
        })).ShouldBe(HttpStatusCode.Created);
        return push["commits"][0].GetProperty("commitId").GetString()!;
    }
}

internal static class SpecShapeAssertions
{
    /// <summary>Adds the differences from the named example to <paramref name="found"/>, so one run reports every endpoint.</summary>
    public static void Check(this System.Text.Json.JsonElement actual, List<string> found, string exampleName, params string[] opaque) =>
        found.AddRange(SpecShape.Differences(SpecShape.Example(exampleName), actual, opaque).Select(d => $"{exampleName} {d}"));
}
