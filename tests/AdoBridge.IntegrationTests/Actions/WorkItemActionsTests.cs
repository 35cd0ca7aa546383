using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Actions;

/// <summary>Work item search (structured and WIQL, and injection attempts through the structured one), batch get, create, update, delete.</summary>
public sealed class WorkItemActionsTests(ActionsFixture fixture) : IClassFixture<ActionsFixture>
{
    private const string Injection = "x' OR [System.Id] > 0 OR 'a'='a";

    private async Task<List<string>> SearchTitlesAsync(object criteria)
    {
        using var api = fixture.Server.Client();
        var body = await (await api.PostAsJsonAsync($"{fixture.ProjectPath}/work-items/search", criteria)).ShouldBeJsonAsync();
        return body.GetProperty("items").EnumerateArray().Select(w => w.GetProperty("fields").GetProperty("System.Title").GetString()!).ToList();
    }

    [Fact]
    public async Task Search_Structured_ReturnsOnlyMatchingItems()
    {
        var titles = await SearchTitlesAsync(new { type = "Bug", state = "New" });

        titles.ShouldBe(["Search returns stale results"]);
    }

    [Fact]
    public async Task Search_TitleWithAQuote_IsMatchedAsText()
    {
        var titles = await SearchTitlesAsync(new { titleContains = "O'Brien" });

        titles.ShouldBe(["Write the O'Brien migration script"]);
    }

    [Fact]
    public async Task Search_TagsAndAssignedToMe_Combine()
    {
        var titles = await SearchTitlesAsync(new { tags = new[] { "web" }, assignedTo = "@me", type = "Task" });

        titles.ShouldBe(["Build the sign-in form"]);
    }

    [Theory]
    [InlineData("titleContains")]
    [InlineData("type")]
    [InlineData("state")]
    [InlineData("assignedTo")]
    public async Task Search_InjectionAttempt_MatchesNothing(string field)
    {
        var titles = await SearchTitlesAsync(new Dictionary<string, object> { [field] = Injection });

        titles.ShouldBeEmpty();
    }

    [Fact]
    public async Task Search_InjectionAttemptInATag_MatchesNothing()
    {
        (await SearchTitlesAsync(new { tags = new[] { "web') OR ([System.Id] > 0" } })).ShouldBeEmpty();
        (await SearchTitlesAsync(new { tags = new[] { Injection } })).ShouldBeEmpty();
    }

    [Fact]
    public async Task Search_InjectionNextToARealFilter_KeepsTheRealFilter()
    {
        // Without escaping, the OR would widen "Bug" to every item; escaped, it is part of the state text and nothing matches.
        var titles = await SearchTitlesAsync(new { type = "Bug", state = "New' OR [System.State] <> 'x" });

        titles.ShouldBeEmpty();
    }

    [Fact]
    public async Task Search_Wiql_RunsAsGiven()
    {
        var titles = await SearchTitlesAsync(new { wiql = "SELECT [System.Id] FROM WorkItems WHERE [System.WorkItemType] = 'Bug' ORDER BY [System.Id]" });

        titles.ShouldBe(["Search returns stale results", "Crash on an empty cart"]);
    }

    [Fact]
    public async Task Search_InvalidWiql_KeepsAzureDevOpsMessage()
    {
        using var api = fixture.Server.Client();

        using var response = await api.PostAsJsonAsync($"{fixture.ProjectPath}/work-items/search", new { wiql = "SELECT [System.Id] FROM WorkItems WHERE [System.Title] = 'unterminated" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "azure_devops_error");
        problem.GetProperty("azureMessage").GetString().ShouldNotBeNullOrEmpty();
        problem.GetProperty("azureTypeKey").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Search_WiqlAndStructuredTogether_Answers400()
    {
        using var api = fixture.Server.Client();

        using var response = await api.PostAsJsonAsync($"{fixture.ProjectPath}/work-items/search", new { wiql = "SELECT [System.Id] FROM WorkItems", type = "Bug" });

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_field")).GetProperty("field").GetString().ShouldBe("wiql");
    }

    [Fact]
    public async Task Search_ControlCharacters_Answer400NamingTheField()
    {
        using var api = fixture.Server.Client();

        using var response = await api.PostAsJsonAsync($"{fixture.ProjectPath}/work-items/search", new { titleContains = "a\nb" });

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_field")).GetProperty("field").GetString().ShouldBe("titleContains");
    }

    [Fact]
    public async Task CreateGetBatchUpdateDelete_RoundTrip()
    {
        using var api = fixture.Server.Client();

        var created = await (await api.PostAsJsonAsync($"{fixture.ProjectPath}/work-items",
            new { type = "Task", fields = new Dictionary<string, object> { ["System.Title"] = "Typed action task", ["Microsoft.VSTS.Common.Priority"] = 2 } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt32();
        var batch = await (await api.GetAsync($"{fixture.Org}/work-items?ids=1,{id},2&fields=System.Title")).ShouldBeJsonAsync();
        var patch = new[] { new { op = "replace", path = "/fields/System.Title", value = "Renamed task" } };
        var updated = await (await api.PatchAsJsonAsync($"{fixture.Org}/work-items/{id}", patch)).ShouldBeJsonAsync();
        await (await api.DeleteAsync($"{fixture.Org}/work-items/{id}")).ShouldBeJsonAsync();
        using var gone = await api.GetAsync($"{fixture.Org}/work-items/{id}");

        created.GetProperty("fields").GetProperty("System.WorkItemType").GetString().ShouldBe("Task");
        batch.GetProperty("items").EnumerateArray().Select(w => w.GetProperty("id").GetInt32()).ShouldBe([1, id, 2]);
        batch.GetProperty("items")[1].GetProperty("fields").GetProperty("System.Title").GetString().ShouldBe("Typed action task");
        updated.GetProperty("fields").GetProperty("System.Title").GetString().ShouldBe("Renamed task");
        var problem = await gone.ShouldBeProblemAsync(HttpStatusCode.NotFound, "azure_devops_error");
        problem.GetProperty("azureTypeKey").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Update_InvalidPatchFromAzureDevOps_KeepsItsStatusAndTypeKey()
    {
        using var api = fixture.Server.Client();

        using var response = await api.PatchAsJsonAsync($"{fixture.Org}/work-items/1", new[] { new { op = "add", path = "/fields/No.Such.Field", value = "x" } });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "azure_devops_error");
        problem.GetProperty("azureStatus").GetInt32().ShouldBe(400);
        problem.GetProperty("azureTypeKey").GetString().ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("ids=")]
    [InlineData("ids=1,x")]
    [InlineData("ids=-3")]
    public async Task Batch_InvalidIds_Answer400NamingTheField(string query)
    {
        using var api = fixture.Server.Client();

        using var response = await api.GetAsync($"{fixture.Org}/work-items?{query}");

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_field")).GetProperty("field").GetString().ShouldBe("ids");
    }

    [Fact]
    public async Task Create_BadFieldName_Answers400NamingTheField()
    {
        using var api = fixture.Server.Client();

        using var response = await api.PostAsJsonAsync($"{fixture.ProjectPath}/work-items",
            new { type = "Task", fields = new Dictionary<string, object> { ["System.Title/../../x"] = "t" } });

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_field")).GetProperty("field").GetString().ShouldBe("fields");
    }

    [Fact]
    public async Task Update_NotAPatchArray_Answers400()
    {
        using var api = fixture.Server.Client();

        using var response = await api.PatchAsync($"{fixture.Org}/work-items/1", JsonContent.Create(new { title = "x" }));

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_field")).GetProperty("field").GetString().ShouldBe("body");
    }
}
