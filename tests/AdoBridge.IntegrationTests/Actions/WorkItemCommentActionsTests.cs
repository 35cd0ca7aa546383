using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Actions;

/// <summary>Work item comments (a preview API in Azure DevOps) over real HTTP to the emulator.</summary>
public sealed class WorkItemCommentActionsTests(ActionsFixture fixture) : IClassFixture<ActionsFixture>
{
    private async Task<int> NewWorkItemAsync(HttpClient api)
    {
        var created = await (await api.PostAsJsonAsync($"{fixture.ProjectPath}/work-items", new { type = "Task", fields = new Dictionary<string, object> { ["System.Title"] = "Comment on me" } }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        return created.GetProperty("id").GetInt32();
    }

    [Fact]
    public async Task AddThenList_PagesWithTheContinuationToken()
    {
        using var api = fixture.Server.Client();
        var id = await NewWorkItemAsync(api);
        var path = $"{fixture.ProjectPath}/work-items/{id}/comments";
        foreach (var text in new[] { "First", "Second", "Third" })
        {
            var added = await (await api.PostAsJsonAsync(path, new { text })).ShouldBeJsonAsync(HttpStatusCode.Created);
            added.GetProperty("text").GetString().ShouldBe(text);
        }

        var texts = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await (await api.GetAsync($"{path}?top=2&order=asc{(token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token))}")).ShouldBeJsonAsync();
            texts.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("text").GetString()!));
            token = page.GetProperty("continuationToken").ValueKind == JsonValueKind.String ? page.GetProperty("continuationToken").GetString() : null;
            pages++;
        }
        while (token is not null && pages < 5);

        texts.ShouldBe(["First", "Second", "Third"]);
        pages.ShouldBe(2);
        var newest = await (await api.GetAsync(path)).ShouldBeJsonAsync();
        newest.GetProperty("items")[0].GetProperty("text").GetString().ShouldBe("Third");
    }

    [Theory]
    [InlineData("POST", "{\"text\":\" \"}", "text")]
    [InlineData("POST", "{\"text\":\"hi\",\"format\":\"rtf\"}", "format")]
    [InlineData("GET", "?top=500", "top")]
    [InlineData("GET", "?order=sideways", "order")]
    public async Task BadInput_Answers400NamingTheField(string method, string input, string field)
    {
        using var api = fixture.Server.Client();
        var path = $"{fixture.ProjectPath}/work-items/1/comments";

        using var response = method == "GET"
            ? await api.GetAsync(path + input)
            : await api.PostAsync(path, new StringContent(input, System.Text.Encoding.UTF8, "application/json"));

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_field")).GetProperty("field").GetString().ShouldBe(field);
    }

    [Fact]
    public async Task CommentsOfAMissingWorkItem_KeepAzureDevOpsMessage()
    {
        using var api = fixture.Server.Client();

        using var response = await api.GetAsync($"{fixture.ProjectPath}/work-items/99999/comments");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "azure_devops_error");
        problem.GetProperty("azureMessage").GetString()!.ShouldContain("99999");
        problem.GetProperty("azureTypeKey").GetString().ShouldNotBeNullOrEmpty();
    }
}
