using System.Net;

namespace AdoBridge.IntegrationTests.Emulator;

public sealed class WorkItemsTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    private const string Patch = "application/json-patch+json";

    [Fact]
    public async Task Create_TakesJsonPatchOnly_AndChecksTitleAndFields()
    {
        var ado = AdoTestClient.For(fx);
        var path = $"{ado.OrgPath}/{AdoTestClient.Project}/_apis/wit/workitems/$Bug";

        var created = await ado.PostAsync(path, new object[] { new { op = "add", path = "/fields/System.Title", value = "Printer on fire" }, new { op = "add", path = "/fields/System.AssignedTo", value = "bob@fabrikam.onmicrosoft.com" } }, Patch);
        var plainJson = await ado.PostAsync(path, new object[] { new { op = "add", path = "/fields/System.Title", value = "x" } });
        var noTitle = await ado.PostAsync(path, new object[] { new { op = "add", path = "/fields/System.Description", value = "x" } }, Patch);
        var unknownField = await ado.PostAsync(path, new object[] { new { op = "add", path = "/fields/Custom.Nope", value = "x" } }, Patch);

        created.ShouldBe(HttpStatusCode.OK)["fields"].GetProperty("System.WorkItemType").GetString().ShouldBe("Bug");
        created["rev"].GetInt32().ShouldBe(1);
        created["fields"].GetProperty("System.AssignedTo").GetProperty("uniqueName").GetString().ShouldBe("bob@fabrikam.onmicrosoft.com");
        created["fields"].GetProperty("System.State").GetString().ShouldBe("New");
        plainJson.ShouldBe(HttpStatusCode.UnsupportedMediaType).Message.ShouldContain("application/json-patch+json");
        noTitle.ShouldBe(HttpStatusCode.BadRequest).Message.ShouldStartWith("TF401320: Rule Error for field Title");
        unknownField.ShouldBe(HttpStatusCode.BadRequest).Message.ShouldBe("TF51535: Cannot find field Custom.Nope.");
    }

    [Fact]
    public async Task Update_AppliesOperationsAtomically_AndAFailingTestChangesNothing()
    {
        var ado = AdoTestClient.For(fx);
        var id = (await ado.PostAsync($"{ado.OrgPath}/{AdoTestClient.Project}/_apis/wit/workitems/$Task", new object[] { new { op = "add", path = "/fields/System.Title", value = "Original" } }, Patch))["id"].GetInt32();
        var item = $"{ado.OrgPath}/_apis/wit/workitems/{id}";

        var failedField = await ado.PatchAsync(item, new object[] { new { op = "test", path = "/fields/System.Title", value = "Something else" }, new { op = "replace", path = "/fields/System.Title", value = "Changed" } }, Patch);
        var staleRev = await ado.PatchAsync(item, new object[] { new { op = "test", path = "/rev", value = 7 }, new { op = "replace", path = "/fields/System.Title", value = "Changed" } }, Patch);
        var updated = await ado.PatchAsync(item, new object[] { new { op = "test", path = "/rev", value = 1 }, new { op = "replace", path = "/fields/System.Title", value = "Changed" }, new { op = "add", path = "/fields/System.State", value = "Active" } }, Patch);
        var removed = await ado.PatchAsync(item, new object[] { new { op = "remove", path = "/fields/Microsoft.VSTS.Common.Priority" } }, Patch);

        failedField.ShouldBe(HttpStatusCode.BadRequest);
        staleRev.Status.ShouldBe(HttpStatusCode.PreconditionFailed);
        updated.ShouldBe(HttpStatusCode.OK)["rev"].GetInt32().ShouldBe(2);
        updated["fields"].GetProperty("System.Title").GetString().ShouldBe("Changed");
        removed.ShouldBe(HttpStatusCode.OK)["fields"].TryGetProperty("Microsoft.VSTS.Common.Priority", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task GetManyAndBatch_AreLimitedTo200Ids()
    {
        var ado = AdoTestClient.For(fx);

        var list = (await ado.GetAsync($"{ado.OrgPath}/_apis/wit/workitems?ids=1,3&fields=System.Title")).ShouldBe(HttpStatusCode.OK);
        var batch = (await ado.PostAsync($"{ado.OrgPath}/{AdoTestClient.Project}/_apis/wit/workitemsbatch", new { ids = new[] { 2, 4 }, fields = new[] { "System.Id", "System.State" } })).ShouldBe(HttpStatusCode.OK);
        var tooMany = await ado.PostAsync($"{ado.OrgPath}/_apis/wit/workitemsbatch", new { ids = Enumerable.Range(1, 201).ToArray() });

        list["count"].GetInt32().ShouldBe(2);
        list["value"][0].GetProperty("fields").EnumerateObject().Select(p => p.Name).ShouldBe(["System.Title"]);
        batch["value"][1].GetProperty("fields").GetProperty("System.State").GetString().ShouldBe("Closed");
        tooMany.Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Delete_GoesToTheRecycleBin_RestoreBringsItBack_DestroyRemovesIt()
    {
        var ado = AdoTestClient.For(fx);
        var id = (await ado.PostAsync($"{ado.OrgPath}/{AdoTestClient.Project}/_apis/wit/workitems/$Task", new object[] { new { op = "add", path = "/fields/System.Title", value = "Short-lived" } }, Patch))["id"].GetInt32();

        (await ado.DeleteAsync($"{ado.OrgPath}/{AdoTestClient.Project}/_apis/wit/workitems/{id}")).ShouldBe(HttpStatusCode.OK);
        (await ado.GetAsync($"{ado.OrgPath}/_apis/wit/workitems/{id}")).ShouldBe(HttpStatusCode.NotFound).Message.ShouldStartWith("TF401232");
        (await ado.PatchAsync($"{ado.OrgPath}/{AdoTestClient.Project}/_apis/wit/recyclebin/{id}", new { isDeleted = false })).ShouldBe(HttpStatusCode.OK);
        (await ado.GetAsync($"{ado.OrgPath}/_apis/wit/workitems/{id}")).ShouldBe(HttpStatusCode.OK);
        (await ado.DeleteAsync($"{ado.OrgPath}/_apis/wit/workitems/{id}?destroy=true")).ShouldBe(HttpStatusCode.NoContent);
        (await ado.GetAsync($"{ado.OrgPath}/{AdoTestClient.Project}/_apis/wit/recyclebin/{id}")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Comments_NeedAPreviewVersion_AndPageWithAContinuationTokenInTheBody()
    {
        var ado = AdoTestClient.For(fx);
        var comments = $"{ado.OrgPath}/{AdoTestClient.Project}/_apis/wit/workItems/3/comments";

        var released = await ado.PostAsync(comments + "?api-version=7.1", new { text = "x" });
        (await ado.PostAsync(comments + "?api-version=7.1-preview.4", new { text = "First" })).ShouldBe(HttpStatusCode.OK);
        (await ado.PostAsync(comments + "?api-version=7.1-preview.4", new { text = "Second" })).ShouldBe(HttpStatusCode.OK);
        var page = (await ado.GetAsync(comments + "?api-version=7.1-preview.4&top=1")).ShouldBe(HttpStatusCode.OK);
        var next = (await ado.GetAsync(comments + $"?api-version=7.1-preview.4&top=1&continuationToken={page["continuationToken"].GetString()}")).ShouldBe(HttpStatusCode.OK);
        var item = (await ado.GetAsync($"{ado.OrgPath}/_apis/wit/workitems/3")).ShouldBe(HttpStatusCode.OK);

        released.ShouldBe(HttpStatusCode.BadRequest).Message.ShouldContain("-preview");
        page["totalCount"].GetInt32().ShouldBe(2);
        page["comments"][0].GetProperty("text").GetString().ShouldBe("Second");
        next["comments"][0].GetProperty("text").GetString().ShouldBe("First");
        item["fields"].GetProperty("System.CommentCount").GetInt32().ShouldBe(2);
    }
}
