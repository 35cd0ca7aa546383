using System.Text.Json.Nodes;

namespace AdoBridge.UnitTests.Webhooks.Normalization;

public sealed class WorkItemNormalizationTests
{
    [Fact]
    public void Created_CarriesTheWorkItem()
    {
        var data = HookSamples.NormalizeSample("workitem.created.json").Data;

        data.Str("workItem.id").ShouldBe("5");
        data.Str("workItem.rev").ShouldBe("1");
        data.Str("workItem.workItemType").ShouldBe("Bug");
        data.Str("workItem.title").ShouldBe("Some great new idea!");
        data.Str("workItem.state").ShouldBe("New");
        data.Str("workItem.areaPath").ShouldBe("FabrikamCloud");
        data.Str("workItem.url").ShouldBe("https://dev.azure.com/fabrikam-fiber-inc/DefaultCollection/_apis/wit/workItems/5");
        data.Str("project.name").ShouldBe("FabrikamCloud");
        data.ContainsKey("changedFields").ShouldBeFalse();
    }

    [Fact]
    public void Updated_CarriesChangedFields_WithOldAndNewValues()
    {
        var e = HookSamples.NormalizeSample("workitem.updated.v1.json");
        var changed = e.Data["changedFields"]!.AsObject();

        changed.Select(p => p.Key).ShouldBe(
            ["System.Rev", "System.AuthorizedDate", "System.RevisedDate", "System.State", "System.Reason", "System.AssignedTo", "System.ChangedDate", "System.Watermark", "Microsoft.Azure DevOps Services.Common.Severity"]);
        changed["System.State"]!["oldValue"]!.GetValue<string>().ShouldBe("New");
        changed["System.State"]!["newValue"]!.GetValue<string>().ShouldBe("Approved");
        changed["System.AssignedTo"]!["oldValue"].ShouldBeNull();
        changed["System.AssignedTo"]!["newValue"]!.GetValue<string>().ShouldBe("Jamal Hartnet");
    }

    [Fact]
    public void Updated_IdComesFromTheRevision_WhenWorkItemIdIsZero_AndCurrentValuesFollowTheChange()
    {
        var data = HookSamples.NormalizeSample("workitem.updated.v1.json").Data;

        data.Str("workItem.id").ShouldBe("5"); // resource.id is the update's id (2), workItemId is 0 in the sample
        data.Str("workItem.rev").ShouldBe("2");
        data.Str("workItem.state").ShouldBe("Approved");
        data.Str("workItem.assignedTo").ShouldBe("Jamal Hartnet");
        data.Str("workItem.title").ShouldBe("Some great new idea!");
        data.Str("workItem.url").ShouldBe("http://dev.azure.com/fabrikam-fiber-inc/DefaultCollection/_apis/wit/workItems/5");

        // The sample's revisedBy is null and its revisedDate 0001-01-01: the revision's System.ChangedBy and the changed
        // System.ChangedDate say who and when.
        data.Str("revisedBy.displayName").ShouldBe("Jamal Hartnett");
        data.Str("actor.displayName").ShouldBe("Jamal Hartnett");
        data.Str("revisedDate").ShouldBe("2014-07-15T17:42:44.663Z");
        data.Str("changedDate").ShouldBe("2014-07-15T17:42:44.663Z");
        data.Str("changedFieldsComplete").ShouldBe("true");
    }

    [Fact]
    public void Updated_WorkItemIdAndRevisedBy_AreUsedWhenSent()
    {
        var update = HookSamples.Node("workitem.updated.v1.json");
        update["resource"]!["workItemId"] = 42;
        update["resource"]!["revisedBy"] = new JsonObject { ["id"] = "u1", ["name"] = "Alice <alice@x>", ["displayName"] = "Alice", ["uniqueName"] = "alice@x" };
        update["resource"]!["fields"]!["System.AssignedTo"] = new JsonObject { ["newValue"] = new JsonObject { ["displayName"] = "Bob", ["uniqueName"] = "bob@x" } };

        var data = HookSamples.Normalize(update).Data;

        data.Str("workItem.id").ShouldBe("42");
        data.Str("revisedBy.displayName").ShouldBe("Alice");
        data.Str("revisedBy.uniqueName").ShouldBe("alice@x");
        data["changedFields"]!["System.AssignedTo"]!["newValue"]!["displayName"]!.GetValue<string>().ShouldBe("Bob");
    }

    [Fact]
    public void Updated_NewerSampleWithoutChangeShapes_HasTheFieldsEveryRevisionSets_ItsActorAndRevision()
    {
        var data = HookSamples.NormalizeSample("workitem.updated.json").Data;

        var changed = data["changedFields"]!.AsObject();
        changed.Select(p => p.Key).ShouldBe(["System.ChangedDate", "System.ChangedBy"]);
        changed["System.ChangedBy"]!["newValue"]!.GetValue<string>().ShouldBe("Jamal Hartnett");
        changed["System.ChangedDate"]!["oldValue"].ShouldBeNull();
        data.Str("changedFieldsComplete").ShouldBe("false");
        data.Str("revisedBy.displayName").ShouldBe("Jamal Hartnett");
        data.Str("actor.displayName").ShouldBe("Jamal Hartnett");
        data.Str("revisedDate").ShouldBe("2014-07-15T17:42:44.663Z");
        data.Str("workItem.id").ShouldBe("5");
        data.Str("workItem.rev").ShouldBe("1");
        data.Str("workItem.state").ShouldBe("New");
    }

    [Fact]
    public void Created_NamesItsCreator_AsTheActor_FromEitherIdentityShape()
    {
        var item = HookSamples.Node("workitem.created.json");
        item["resource"]!["fields"]!["System.CreatedBy"] = "Ann Smith <ann@fabrikam.com>";
        item["resource"]!["fields"]!["System.ChangedBy"] = "Someone Else <else@fabrikam.com>";
        var fromText = HookSamples.Normalize(item).Data;
        item["resource"]!["fields"]!["System.CreatedBy"] = new JsonObject { ["id"] = "a1", ["displayName"] = "Ann Smith", ["uniqueName"] = "ann@fabrikam.com" };
        var fromObject = HookSamples.Normalize(item).Data;

        fromText.Str("actor.displayName").ShouldBe("Ann Smith");
        fromText.Str("actor.uniqueName").ShouldBe("ann@fabrikam.com");
        fromObject.Str("actor.id").ShouldBe("a1");
        fromObject.Str("actor.displayName").ShouldBe("Ann Smith");
        fromObject.Str("workItem.rev").ShouldBe("1");
    }

    [Theory]
    [InlineData("workitem.deleted.json")]
    [InlineData("workitem.restored.json")]
    [InlineData("workitem.commented.json")]
    public void OtherWorkItemEvents_NameWhoChangedItLast_AndTheRevision(string sample)
    {
        var item = HookSamples.Node(sample);
        item["resource"]!["fields"]!["System.ChangedBy"] = new JsonObject { ["id"] = "c1", ["displayName"] = "Chuck", ["uniqueName"] = "chuck@fabrikam.com" };

        var data = HookSamples.Normalize(item).Data;

        data.Str("actor.id").ShouldBe("c1");
        data.Str("actor.uniqueName").ShouldBe("chuck@fabrikam.com");
        data.Str("workItem.rev").ShouldBe(item["resource"]!["rev"]!.ToJsonString());
        data.Str("changedDate").ShouldBe("2014-07-15T17:42:44.663Z");
    }

    [Fact]
    public void Commented_CarriesTheCommentFromSystemHistory()
    {
        var data = HookSamples.NormalizeSample("workitem.commented.json").Data;

        data.Str("comment.text").ShouldBe("This is a great new idea");
        data.Str("comment.commentedBy").ShouldBe("Jamal Hartnett");
        data.Str("workItem.rev").ShouldBe("4");
    }

    [Fact]
    public void Deleted_AndRestored_CarryTheWorkItem()
    {
        var deleted = HookSamples.NormalizeSample("workitem.deleted.json").Data;
        deleted.Str("workItem.id").ShouldBe("5");
        deleted.Str("workItem.url").ShouldBe("https://dev.azure.com/fabrikam-fiber-inc/DefaultCollection/_apis/wit/recyclebin/5");

        var restored = HookSamples.NormalizeSample("workitem.restored.json").Data;
        restored.Str("workItem.title").ShouldBe("Some great new idea!");
        restored.Str("workItem.webUrl").ShouldBe("https://dev.azure.com/fabrikam-fiber-inc/web/wi.aspx?pcguid=d81542e4-cdfa-4333-b082-1ae2d6c3ad16&id=5");
    }

    [Fact]
    public void IdentityFields_ReadAsText_InEitherShape()
    {
        var item = HookSamples.Node("workitem.created.json");
        item["resource"]!["fields"]!["System.AssignedTo"] = new JsonObject { ["displayName"] = "Jamal Hartnett", ["uniqueName"] = "jamal@x" };

        HookSamples.Normalize(item).Data.Str("workItem.assignedTo").ShouldBe("Jamal Hartnett");
    }
}
