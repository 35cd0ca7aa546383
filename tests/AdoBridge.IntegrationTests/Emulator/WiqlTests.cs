using System.Net;
using System.Text.Json;

namespace AdoBridge.IntegrationTests.Emulator;

/// <summary>WIQL against the seeded work items (1 story, 2 and 5 tasks, 3 and 4 bugs); this class never changes them.</summary>
public sealed class WiqlTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    private const string Select = "SELECT [System.Id], [System.Title] FROM WorkItems WHERE ";

    [Theory]
    [InlineData("[System.WorkItemType] = 'Bug'", new[] { 3, 4 })]
    [InlineData("[System.State] <> 'Closed' AND [System.WorkItemType] = 'Bug'", new[] { 3 })]
    [InlineData("[Microsoft.VSTS.Common.Priority] >= 3", new[] { 4, 5 })]
    [InlineData("[Microsoft.VSTS.Common.Priority] > 3", new[] { 5 })]
    [InlineData("[Microsoft.VSTS.Common.Priority] < 2", new[] { 1, 3 })]
    [InlineData("[Microsoft.VSTS.Common.Priority] <= 2", new[] { 1, 2, 3 })]
    [InlineData("[System.State] IN ('New', 'Closed')", new[] { 3, 4, 5 })]
    [InlineData("[System.State] NOT IN ('New', 'Closed')", new[] { 1, 2 })]
    [InlineData("[System.Title] CONTAINS 'sign'", new[] { 1, 2 })]
    [InlineData("[System.Title] NOT CONTAINS 'sign' AND [System.WorkItemType] = 'Task'", new[] { 5 })]
    [InlineData("[System.WorkItemType] = 'Task' OR [System.WorkItemType] = 'Bug' AND [System.State] = 'Closed'", new[] { 2, 4, 5 })]
    [InlineData("([System.WorkItemType] = 'Task' OR [System.WorkItemType] = 'Bug') AND [System.State] = 'Closed'", new[] { 4 })]
    [InlineData("[System.Title] CONTAINS 'O''Brien'", new[] { 5 })]
    [InlineData("[System.AssignedTo] = @me", new[] { 1, 2 })]
    [InlineData("[System.TeamProject] = @project AND [System.AreaPath] UNDER 'Fabrikam-Fiber-Git\\Web'", new[] { 1, 2, 4 })]
    [InlineData("[System.CreatedDate] >= @today - 8", new[] { 2, 3, 4, 5 })]
    public async Task Operators_SelectTheExpectedWorkItems(string where, int[] expected)
    {
        var result = await QueryAsync(Select + where);

        Ids(result).Order().ShouldBe(expected);
    }

    [Fact]
    public async Task OrderBy_SortsByEachColumnInTurn_AndTopLimits()
    {
        var ado = AdoTestClient.For(fx);
        var all = await QueryAsync("SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project ORDER BY [Microsoft.VSTS.Common.Priority] DESC, [System.Id]");
        var top = (await ado.PostAsync($"{ado.OrgPath}/{AdoTestClient.Project}/{AdoTestClient.Project} Team/_apis/wit/wiql?$top=2", new { query = "SELECT [System.Id] FROM WorkItems ORDER BY [System.Id] DESC" })).ShouldBe(HttpStatusCode.OK);

        Ids(all).ShouldBe([5, 4, 2, 1, 3]);
        all["queryType"].GetString().ShouldBe("flat");
        all["columns"][0].GetProperty("referenceName").GetString().ShouldBe("System.Id");
        all["sortColumns"][0].GetProperty("descending").GetBoolean().ShouldBeTrue();
        all["workItems"][0].GetProperty("url").GetString()!.ShouldStartWith(fx.Host.BaseUrl.ToString());
        Ids(top).Length.ShouldBe(2);
    }

    [Theory]
    [InlineData("SELECT [System.Id] WHERE [System.State] = 'New'", "TF51006: The query statement is missing a FROM clause")]
    [InlineData("SELECT [System.Id] FROM WorkItems WHERE [Custom.Nope] = 'x'", "TF51005: The query references a field that does not exist. The error is caused by «[Custom.Nope]»")]
    [InlineData("SELECT [System.Id] FROM WorkItems WHERE ([System.State] = 'New'", "TF51006: Expecting ')'")]
    [InlineData("SELECT [System.Id] FROM WorkItems WHERE [System.Title] = 'unterminated", "TF51006")]
    [InlineData("SELECT [System.Id] FROM WorkItems WHERE [System.State] 'New'", "TF51006: Expecting comparison operator")]
    public async Task SyntaxErrors_Are400WithTheServiceStyleMessage(string query, string message)
    {
        var ado = AdoTestClient.For(fx);

        var answer = await ado.PostAsync($"{ado.OrgPath}/{AdoTestClient.Project}/_apis/wit/wiql", new { query });

        answer.ShouldBe(HttpStatusCode.BadRequest).Message.ShouldStartWith(message);
    }

    private async Task<Answer> QueryAsync(string query)
    {
        var ado = AdoTestClient.For(fx);
        return (await ado.PostAsync($"{ado.OrgPath}/{AdoTestClient.Project}/_apis/wit/wiql", new { query })).ShouldBe(HttpStatusCode.OK);
    }

    private static int[] Ids(Answer answer) => answer["workItems"].EnumerateArray().Select(w => w.GetProperty("id").GetInt32()).ToArray();
}
