using System.Net;
using AdoBridge.Emulator;

namespace AdoBridge.IntegrationTests.Emulator;

/// <summary>What work-item sync tools read: relations in write answers, rule errors, updates and revisions, types,
/// states, fields, area and iteration paths, and WIQL link queries.</summary>
public sealed class WorkItemReadPathTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    private const string Patch = "application/json-patch+json";

    [Fact]
    public async Task CreateAndUpdate_AnswerRelationsWhenAsked_AndRuleErrorsNameTheField()
    {
        var ado = AdoTestClient.For(fx);
        var parent = await CreateAsync(ado, "Epic", "Parent epic");
        var link = new { op = "add", path = "/relations/-", value = new { rel = "System.LinkTypes.Hierarchy-Reverse", url = $"{fx.Host.BaseUrl}dev.azure.com/fabrikam/_apis/wit/workItems/{parent}" } };

        var expanded = (await ado.PostAsync($"{ado.OrgPath}/{EmulatorDefaults.Project}/_apis/wit/workitems/$Task?$expand=relations", new object[] { new { op = "add", path = "/fields/System.Title", value = "Child" }, link }, Patch)).ShouldBe(HttpStatusCode.OK);
        var plain = (await ado.PostAsync($"{ado.OrgPath}/{EmulatorDefaults.Project}/_apis/wit/workitems/$Task", new object[] { new { op = "add", path = "/fields/System.Title", value = "Child 2" }, link }, Patch)).ShouldBe(HttpStatusCode.OK);
        var updated = (await ado.PatchAsync($"{ado.OrgPath}/_apis/wit/workitems/{plain["id"].GetInt32()}?$expand=all", new object[] { new { op = "replace", path = "/fields/System.State", value = "Active" } }, Patch)).ShouldBe(HttpStatusCode.OK);
        var ruleError = await ado.PatchAsync($"{ado.OrgPath}/_apis/wit/workitems/{plain["id"].GetInt32()}", new object[] { new { op = "replace", path = "/fields/System.State", value = "Sleeping" } }, Patch);

        expanded["relations"][0].GetProperty("rel").GetString().ShouldBe("System.LinkTypes.Hierarchy-Reverse");
        plain.Json.TryGetProperty("relations", out _).ShouldBeFalse();
        updated["relations"][0].GetProperty("url").GetString()!.ShouldEndWith($"/workItems/{parent}");
        ruleError.ShouldBe(HttpStatusCode.BadRequest)["typeKey"].GetString().ShouldBe("RuleValidationException");
        var custom = ruleError["customProperties"];
        custom.GetProperty("FieldReferenceName").GetString().ShouldBe("System.State");
        var rule = custom.GetProperty("RuleValidationErrors")[0];
        rule.GetProperty("fieldReferenceName").GetString().ShouldBe("System.State");
        rule.GetProperty("errorMessage").GetString().ShouldStartWith("TF401320: Rule Error for field State.");
        ruleError["errorCode"].GetInt32().ShouldBe(600171);
    }

    [Fact]
    public async Task UpdatesAndRevisions_ShowEachChange()
    {
        var ado = AdoTestClient.For(fx);
        var id = await CreateAsync(ado, "Bug", "Printer jams");
        var item = $"{ado.OrgPath}/{EmulatorDefaults.Project}/_apis/wit/workitems/{id}";
        (await ado.PatchAsync(item, new object[] { new { op = "replace", path = "/fields/System.State", value = "Active" }, new { op = "add", path = "/fields/System.History", value = "Looking into it" } }, Patch)).ShouldBe(HttpStatusCode.OK);
        var bob = new AdoTestClient(fx.Http, fx.State.CreatePat(EmulatorDefaults.BobUpn, null, AdoTestClient.AllScopes));
        (await bob.PatchAsync(item, new object[] { new { op = "replace", path = "/fields/System.Title", value = "Printer jams on A3" } }, Patch)).ShouldBe(HttpStatusCode.OK);
        (await ado.PatchAsync($"{ado.OrgPath}/_apis/wit/workitems/1", new object[] { new { op = "replace", path = "/fields/Microsoft.VSTS.Common.Priority", value = 4 } }, Patch)).ShouldBe(HttpStatusCode.OK);

        var updates = (await ado.GetAsync($"{item}/updates")).ShouldBe(HttpStatusCode.OK);
        var third = (await ado.GetAsync($"{item}/updates/3")).ShouldBe(HttpStatusCode.OK);
        var revisions = (await ado.GetAsync($"{item}/revisions")).ShouldBe(HttpStatusCode.OK);
        var revision1 = (await ado.GetAsync($"{item}/revisions/1")).ShouldBe(HttpStatusCode.OK);
        var seeded = (await ado.GetAsync($"{ado.OrgPath}/_apis/wit/workitems/1/updates")).ShouldBe(HttpStatusCode.OK);
        var missing = await ado.GetAsync($"{item}/updates/9");

        updates["count"].GetInt32().ShouldBe(3);
        var second = updates["value"][1];
        second.GetProperty("rev").GetInt32().ShouldBe(2);
        second.GetProperty("fields").GetProperty("System.State").GetProperty("oldValue").GetString().ShouldBe("New");
        second.GetProperty("fields").GetProperty("System.State").GetProperty("newValue").GetString().ShouldBe("Active");
        second.GetProperty("fields").GetProperty("System.History").GetProperty("newValue").GetString().ShouldBe("Looking into it");
        second.GetProperty("revisedBy").GetProperty("id").GetString().ShouldBe(EmulatorDefaults.AliceId);
        third["revisedBy"].GetProperty("id").GetString().ShouldBe(EmulatorDefaults.BobId);
        third["fields"].GetProperty("System.Title").GetProperty("newValue").GetString().ShouldBe("Printer jams on A3");
        third["fields"].TryGetProperty("System.State", out _).ShouldBeFalse();
        third["revisedDate"].GetString().ShouldStartWith("9999-01-01");
        revisions["value"].EnumerateArray().Select(r => r.GetProperty("fields").GetProperty("System.Title").GetString()).ShouldBe(["Printer jams", "Printer jams", "Printer jams on A3"]);
        revision1["fields"].GetProperty("System.State").GetString().ShouldBe("New");
        revision1["url"].GetString()!.ShouldEndWith($"/workItems/{id}/revisions/1");
        seeded["value"].EnumerateArray().Last().GetProperty("fields").GetProperty("Microsoft.VSTS.Common.Priority").GetProperty("newValue").GetInt32().ShouldBe(4);
        missing.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TypesStatesFieldsAndPaths_DescribeTheProcess()
    {
        var ado = AdoTestClient.For(fx);
        var project = $"{ado.OrgPath}/{EmulatorDefaults.Project}/_apis/wit";

        var types = (await ado.GetAsync($"{project}/workitemtypes")).ShouldBe(HttpStatusCode.OK);
        var bug = (await ado.GetAsync($"{project}/workitemtypes/Bug")).ShouldBe(HttpStatusCode.OK);
        var states = (await ado.GetAsync($"{project}/workitemtypes/Task/states")).ShouldBe(HttpStatusCode.OK);
        var fields = (await ado.GetAsync($"{ado.OrgPath}/_apis/wit/fields")).ShouldBe(HttpStatusCode.OK);
        var roots = (await ado.GetAsync($"{project}/classificationnodes?$depth=2")).ShouldBe(HttpStatusCode.OK);
        var sprint = (await ado.GetAsync($"{project}/classificationnodes/Iterations/Sprint 2")).ShouldBe(HttpStatusCode.OK);
        var noType = await ado.GetAsync($"{project}/workitemtypes/Saga");
        var noNode = await ado.GetAsync($"{project}/classificationnodes/Areas/Nowhere");

        types["value"].EnumerateArray().Select(t => t.GetProperty("name").GetString()).ShouldBe(["Bug", "Task", "User Story", "Feature", "Epic"]);
        bug["referenceName"].GetString().ShouldBe("Microsoft.VSTS.WorkItemTypes.Bug");
        bug["states"].EnumerateArray().Select(s => s.GetProperty("category").GetString()).ShouldBe(["Proposed", "InProgress", "Resolved", "Completed"]);
        bug["transitions"].GetProperty("New")[0].GetProperty("to").GetString().ShouldBe("Active");
        states["value"].EnumerateArray().Select(s => s.GetProperty("name").GetString()).ShouldBe(["New", "Active", "Closed", "Removed"]);
        var assignedTo = fields["value"].EnumerateArray().Single(f => f.GetProperty("referenceName").GetString() == "System.AssignedTo");
        assignedTo.GetProperty("isIdentity").GetBoolean().ShouldBeTrue();
        assignedTo.GetProperty("type").GetString().ShouldBe("string");
        fields["value"].EnumerateArray().Single(f => f.GetProperty("referenceName").GetString() == "System.Id").GetProperty("readOnly").GetBoolean().ShouldBeTrue();
        var area = roots["value"].EnumerateArray().Single(n => n.GetProperty("structureType").GetString() == "area");
        area.GetProperty("path").GetString().ShouldBe($"\\{EmulatorDefaults.Project}\\Area");
        area.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("path").GetString()).ShouldBe([$"\\{EmulatorDefaults.Project}\\Area\\Web", $"\\{EmulatorDefaults.Project}\\Area\\Service"]);
        sprint["attributes"].GetProperty("startDate").GetString().ShouldNotBeNull();
        sprint["structureType"].GetString().ShouldBe("iteration");
        noType.ShouldBe(HttpStatusCode.NotFound);
        noNode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WiqlLinkQueries_AnswerWorkItemRelations()
    {
        var ado = AdoTestClient.For(fx);
        var tag = $"links{Guid.NewGuid():N}"[..20];
        var epic = await CreateAsync(ado, "Epic", "Epic", tag);
        var feature = await CreateAsync(ado, "Feature", "Feature", tag, ("System.LinkTypes.Hierarchy-Reverse", epic));
        var task = await CreateAsync(ado, "Task", "Task", tag, ("System.LinkTypes.Hierarchy-Reverse", feature));
        var lonely = await CreateAsync(ado, "Feature", "Lonely feature", tag);
        var wiql = $"{ado.OrgPath}/{EmulatorDefaults.Project}/_apis/wit/wiql";

        var tree = (await ado.PostAsync(wiql, new { query = $"SELECT [System.Id] FROM WorkItemLinks WHERE ([Source].[System.Tags] CONTAINS '{tag}' AND [Source].[System.WorkItemType] = 'Epic') AND ([System.Links.LinkType] = 'System.LinkTypes.Hierarchy-Forward') AND ([Target].[System.Tags] CONTAINS '{tag}') ORDER BY [System.Id] MODE (Recursive)" })).ShouldBe(HttpStatusCode.OK);
        var mustContain = (await ado.PostAsync(wiql, new { query = $"SELECT [System.Id] FROM WorkItemLinks WHERE [Source].[System.Tags] CONTAINS '{tag}' AND [Source].[System.WorkItemType] = 'Feature' AND [System.Links.LinkType] = 'System.LinkTypes.Hierarchy-Forward' MODE (MustContain)" })).ShouldBe(HttpStatusCode.OK);
        var doesNotContain = (await ado.PostAsync(wiql, new { query = $"SELECT [System.Id] FROM WorkItemLinks WHERE [Source].[System.Tags] CONTAINS '{tag}' AND [Source].[System.WorkItemType] = 'Feature' AND [System.Links.LinkType] = 'System.LinkTypes.Hierarchy-Forward' MODE (DoesNotContain)" })).ShouldBe(HttpStatusCode.OK);
        var flatWithMode = await ado.PostAsync(wiql, new { query = "SELECT [System.Id] FROM WorkItems MODE (Recursive)" });

        tree["queryType"].GetString().ShouldBe("tree");
        tree["queryResultType"].GetString().ShouldBe("workItemLink");
        Rows(tree).ShouldBe([(null, null, epic), ("System.LinkTypes.Hierarchy-Forward", epic, feature), ("System.LinkTypes.Hierarchy-Forward", feature, task)]);
        mustContain["queryType"].GetString().ShouldBe("oneHop");
        Rows(mustContain).ShouldBe([(null, null, feature), ("System.LinkTypes.Hierarchy-Forward", feature, task)]);
        Rows(doesNotContain).ShouldBe([(null, null, lonely)]);
        flatWithMode.ShouldBe(HttpStatusCode.BadRequest);
    }

    private static (string?, int?, int)[] Rows(Answer answer) =>
        answer["workItemRelations"].EnumerateArray().Select(r => (
            r.TryGetProperty("rel", out var rel) ? rel.GetString() : null,
            r.TryGetProperty("source", out var source) ? source.GetProperty("id").GetInt32() : (int?)null,
            r.GetProperty("target").GetProperty("id").GetInt32())).ToArray();

    private async Task<int> CreateAsync(AdoTestClient ado, string type, string title, string? tag = null, (string Rel, int Id)? link = null)
    {
        var patch = new List<object> { new { op = "add", path = "/fields/System.Title", value = title } };
        if (tag is not null)
        {
            patch.Add(new { op = "add", path = "/fields/System.Tags", value = tag });
        }

        if (link is { } l)
        {
            patch.Add(new { op = "add", path = "/relations/-", value = new { rel = l.Rel, url = $"{fx.Host.BaseUrl}dev.azure.com/fabrikam/_apis/wit/workItems/{l.Id}" } });
        }

        return (await ado.PostAsync($"{ado.OrgPath}/{EmulatorDefaults.Project}/_apis/wit/workitems/${type}", patch, Patch)).ShouldBe(HttpStatusCode.OK)["id"].GetInt32();
    }
}
