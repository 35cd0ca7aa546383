using System.Net;
using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Actions;

/// <summary>Pull request update over real HTTP to the emulator: fields, complete with options, abandon and reactivate, auto-complete.</summary>
public sealed class PullRequestUpdateActionsTests(ActionsFixture fixture) : IClassFixture<ActionsFixture>
{
    [Fact]
    public async Task Update_TitleDescriptionAndDraft_AreChanged()
    {
        var (path, _) = await fixture.NewPullRequestAsync();
        using var api = fixture.Server.Client();

        var pr = await (await api.PatchAsJsonAsync(path, new { title = "Renamed", description = "Now with a description.", isDraft = true })).ShouldBeJsonAsync();

        pr.GetProperty("title").GetString().ShouldBe("Renamed");
        pr.GetProperty("description").GetString().ShouldBe("Now with a description.");
        pr.GetProperty("isDraft").GetBoolean().ShouldBeTrue();
        pr.GetProperty("status").GetString().ShouldBe("active");
    }

    [Fact]
    public async Task Complete_WithSquashAndDeleteSourceBranch_MergesAndDeletesTheBranch()
    {
        var (path, created) = await fixture.NewPullRequestAsync();
        var branch = created.GetProperty("sourceRefName").GetString()!;
        using var api = fixture.Server.Client();

        var pr = await (await api.PatchAsJsonAsync(path, new
        {
            status = "completed",
            completionOptions = new { mergeStrategy = "squash", deleteSourceBranch = true, mergeCommitMessage = "Squashed test change" },
        })).ShouldBeJsonAsync();
        var branches = await (await api.GetAsync($"{fixture.RepoPath}/branches")).ShouldBeJsonAsync();
        var merge = await (await api.GetAsync($"/v1/proxy/{fixture.ConnectionId}/fabrikam/{ActionsFixture.Project}/_apis/git/repositories/{ActionsFixture.Repository}/commits/"
            + pr.GetProperty("lastMergeCommit").GetProperty("commitId").GetString() + "?api-version=7.1")).ShouldBeJsonAsync();

        pr.GetProperty("status").GetString().ShouldBe("completed");
        merge.GetProperty("comment").GetString().ShouldBe("Squashed test change");
        merge.GetProperty("parents").GetArrayLength().ShouldBe(1);
        pr.GetProperty("completionOptions").GetProperty("mergeStrategy").GetString().ShouldBe("squash");
        pr.GetProperty("closedBy").GetProperty("id").GetString().ShouldBe(ActionsFixture.AliceId);
        branches.GetProperty("items").EnumerateArray().Select(b => b.GetProperty("name").GetString()).ShouldNotContain(branch);
    }

    [Fact]
    public async Task CompleteTwice_KeepsAzureDevOpsMessageAndTypeKey()
    {
        var (path, _) = await fixture.NewPullRequestAsync();
        using var api = fixture.Server.Client();
        await (await api.PatchAsJsonAsync(path, new { status = "completed" })).ShouldBeJsonAsync();

        using var again = await api.PatchAsJsonAsync(path, new { title = "Too late" });

        var problem = await again.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "azure_devops_error");
        problem.GetProperty("azureMessage").GetString()!.ShouldContain("TF401171");
        problem.GetProperty("azureTypeKey").GetString().ShouldBe("InvalidArgumentValueException");
    }

    [Fact]
    public async Task AbandonThenReactivate_ChangesTheStatusBack()
    {
        var (path, _) = await fixture.NewPullRequestAsync();
        using var api = fixture.Server.Client();

        var abandoned = await (await api.PatchAsJsonAsync(path, new { status = "abandoned" })).ShouldBeJsonAsync();
        var reactivated = await (await api.PatchAsJsonAsync(path, new { status = "active" })).ShouldBeJsonAsync();

        abandoned.GetProperty("status").GetString().ShouldBe("abandoned");
        reactivated.GetProperty("status").GetString().ShouldBe("active");
    }

    [Fact]
    public async Task AutoComplete_IsSetByTheConnectionsIdentity_AndCanBeCancelled()
    {
        var (path, _) = await fixture.NewPullRequestAsync();
        using var api = fixture.Server.Client();

        var set = await (await api.PatchAsJsonAsync(path, new { autoComplete = true, completionOptions = new { mergeStrategy = "rebase" } })).ShouldBeJsonAsync();
        var cancelled = await (await api.PatchAsJsonAsync(path, new { autoComplete = false })).ShouldBeJsonAsync();

        set.GetProperty("autoCompleteSetBy").GetProperty("id").GetString().ShouldBe(ActionsFixture.AliceId);
        set.GetProperty("completionOptions").GetProperty("mergeStrategy").GetString().ShouldBe("rebase");
        set.GetProperty("status").GetString().ShouldBe("active");
        // Azure DevOps leaves null members out of its answers.
        (cancelled.TryGetProperty("autoCompleteSetBy", out var setBy) ? setBy.ValueKind : System.Text.Json.JsonValueKind.Null).ShouldBe(System.Text.Json.JsonValueKind.Null);
    }

    [Theory]
    [InlineData("{}", "body")]
    [InlineData("{\"status\":\"merged\"}", "status")]
    [InlineData("{\"title\":\" \"}", "title")]
    [InlineData("{\"status\":\"completed\",\"completionOptions\":{\"mergeStrategy\":\"octopus\"}}", "completionOptions.mergeStrategy")]
    [InlineData("{\"title\":\"x\",\"completionOptions\":{\"deleteSourceBranch\":true}}", "completionOptions")]
    [InlineData("{\"status\":\"completed\",\"autoComplete\":true}", "autoComplete")]
    public async Task Update_BadInput_Answers400NamingTheField(string body, string field)
    {
        using var api = fixture.Server.Client();

        using var response = await api.PatchAsync($"{fixture.RepoPath}/pull-requests/1", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_field");
        problem.GetProperty("field").GetString().ShouldBe(field);
        problem.GetProperty("detail").GetString()!.ShouldStartWith($"`{field}`");
    }
}
