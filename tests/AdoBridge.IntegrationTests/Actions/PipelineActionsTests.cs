using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Actions;

/// <summary>Pipelines and runs over real HTTP to the emulator.</summary>
public sealed class PipelineActionsTests(ActionsFixture fixture) : IClassFixture<ActionsFixture>
{
    private string Pipelines => $"{fixture.ProjectPath}/pipelines";

    [Fact]
    public async Task List_PagesWithTheContinuationToken()
    {
        using var api = fixture.Server.Client();

        var first = await (await api.GetAsync($"{Pipelines}?top=1")).ShouldBeJsonAsync();
        var token = first.GetProperty("continuationToken").GetString()!;
        var second = await (await api.GetAsync($"{Pipelines}?top=1&continuationToken={Uri.EscapeDataString(token)}")).ShouldBeJsonAsync();

        first.GetProperty("items").EnumerateArray().ShouldHaveSingleItem().GetProperty("name").GetString().ShouldBe("Fabrikam-Fiber-CI");
        second.GetProperty("items").EnumerateArray().ShouldHaveSingleItem().GetProperty("name").GetString().ShouldBe("Fabrikam-Fiber-Release");
        second.GetProperty("continuationToken").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Run_OnABranchWithParametersAndVariables_ThenGetAndListRuns()
    {
        using var api = fixture.Server.Client();

        var run = await (await api.PostAsJsonAsync($"{Pipelines}/2/runs", new
        {
            branch = "feature/search",
            templateParameters = new Dictionary<string, string> { ["environment"] = "staging" },
            variables = new Dictionary<string, object> { ["verbose"] = "true", ["deployKey"] = new { value = "s3cr3t-value", isSecret = true } },
        })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var runId = run.GetProperty("id").GetInt32();
        var got = await (await api.GetAsync($"{Pipelines}/2/runs/{runId}")).ShouldBeJsonAsync();
        var runs = await (await api.GetAsync($"{Pipelines}/2/runs")).ShouldBeJsonAsync();

        run.GetProperty("state").GetString().ShouldBe("inProgress");
        got.GetProperty("resources").GetProperty("repositories").GetProperty("self").GetProperty("refName").GetString().ShouldBe("refs/heads/feature/search");
        got.GetProperty("templateParameters").GetProperty("environment").GetString().ShouldBe("staging");
        got.GetProperty("variables").GetProperty("verbose").GetProperty("value").GetString().ShouldBe("true");
        got.GetRawText().ShouldNotContain("s3cr3t-value");
        runs.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetInt32()).ShouldContain(runId);
    }

    [Fact]
    public async Task Runs_PageNewestFirstWithAKeysetToken()
    {
        using var api = fixture.Server.Client();
        for (var i = 0; i < 3; i++)
        {
            await (await api.PostAsJsonAsync($"{Pipelines}/1/runs", new { })).ShouldBeJsonAsync(HttpStatusCode.Created);
        }

        var ids = new List<int>();
        string? token = null;
        do
        {
            var page = await (await api.GetAsync($"{Pipelines}/1/runs?top=2{(token is null ? string.Empty : "&continuationToken=" + token)}")).ShouldBeJsonAsync();
            var items = page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetInt32()).ToList();
            items.Count.ShouldBeLessThanOrEqualTo(2);
            ids.AddRange(items);
            token = page.GetProperty("continuationToken").ValueKind == JsonValueKind.String ? page.GetProperty("continuationToken").GetString() : null;
        }
        while (token is not null && ids.Count < 100);

        ids.Count.ShouldBeGreaterThanOrEqualTo(5);
        ids.ShouldBe(ids.OrderByDescending(i => i).ToList());
        ids.Distinct().Count().ShouldBe(ids.Count);
    }

    [Fact]
    public async Task Run_ABranchThatDoesNotExist_KeepsAzureDevOpsMessage()
    {
        using var api = fixture.Server.Client();

        using var response = await api.PostAsJsonAsync($"{Pipelines}/1/runs", new { branch = "no-such-branch" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "azure_devops_error");
        problem.GetProperty("azureTypeKey").GetString().ShouldBe("PipelineValidationException");
        problem.GetProperty("azureMessage").GetString()!.ShouldContain("refs/heads/no-such-branch");
    }

    [Theory]
    [InlineData("{\"variables\":{\"bad name\":\"x\"}}", "variables")]
    [InlineData("{\"variables\":{\"count\":3}}", "variables.count")]
    [InlineData("{\"templateParameters\":{\"a b\":\"x\"}}", "templateParameters")]
    [InlineData("{\"branch\":\" \"}", "branch")]
    public async Task Run_BadInput_Answers400NamingTheField(string body, string field)
    {
        using var api = fixture.Server.Client();

        using var response = await api.PostAsync($"{Pipelines}/1/runs", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_field")).GetProperty("field").GetString().ShouldBe(field);
    }

    [Fact]
    public async Task Runs_ForgedToken_Answers400NamingTheField()
    {
        using var api = fixture.Server.Client();

        using var response = await api.GetAsync($"{Pipelines}/1/runs?continuationToken=abc");

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_field")).GetProperty("field").GetString().ShouldBe("continuationToken");
    }

    [Fact]
    public async Task MissingPipeline_KeepsAzureDevOpsTypeKey()
    {
        using var api = fixture.Server.Client();

        using var response = await api.GetAsync($"{Pipelines}/999/runs/1");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "azure_devops_error");
        problem.GetProperty("azureTypeKey").GetString().ShouldBe("PipelineRunNotFoundException");
    }
}
