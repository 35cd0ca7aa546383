using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Actions;

/// <summary>Data the newer action tests make for themselves (branches, pull requests), through AdoBridge as a product would.</summary>
internal static class ActionsTestData
{
    public const string BobId = "b0b0b0b0-0000-4000-8000-000000000002";

    /// <summary>The commit a branch points at.</summary>
    public static async Task<string> HeadAsync(this ActionsFixture fixture, string branch)
    {
        using var api = fixture.Server.Client();
        var branches = await (await api.GetAsync($"{fixture.RepoPath}/branches")).ShouldBeJsonAsync();
        return branches.GetProperty("items").EnumerateArray().Single(b => b.GetProperty("name").GetString() == "refs/heads/" + branch).GetProperty("objectId").GetString()!;
    }

    /// <summary>A new branch at <paramref name="from"/>'s head, created through the proxy (the actions have no ref writes).</summary>
    public static async Task<string> NewBranchAsync(this ActionsFixture fixture, string from = "feature/login")
    {
        var name = "test/" + Guid.NewGuid().ToString("N")[..8];
        var head = await fixture.HeadAsync(from);
        using var api = fixture.Server.Client();
        var url = $"/v1/proxy/{fixture.ConnectionId}/fabrikam/{ActionsFixture.Project}/_apis/git/repositories/{ActionsFixture.Repository}/refs?api-version=7.1";
        using var response = await api.PostAsJsonAsync(url, new[] { new { name = "refs/heads/" + name, oldObjectId = new string('0', 40), newObjectId = head } });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return name;
    }

    /// <summary>A new active pull request from a new branch into main; returns its path under the repository and its JSON.</summary>
    public static async Task<(string Path, JsonElement PullRequest)> NewPullRequestAsync(this ActionsFixture fixture, string title = "Test change")
    {
        var branch = await fixture.NewBranchAsync();
        using var api = fixture.Server.Client();
        var pr = await (await api.PostAsJsonAsync($"{fixture.RepoPath}/pull-requests", new { sourceRef = branch, targetRef = "main", title })).ShouldBeJsonAsync(HttpStatusCode.Created);
        return ($"{fixture.RepoPath}/pull-requests/{pr.GetProperty("pullRequestId").GetInt32()}", pr);
    }

    /// <summary>A product API key of the production environment, which must not see the sandbox's connections.</summary>
    public static async Task<string> OtherEnvironmentKeyAsync(this ActionsFixture fixture)
    {
        using var admin = fixture.Server.Client();
        var created = await (await admin.PostAsJsonAsync("/v1/admin/api-keys", new { name = "other environment", environment = "production", role = "product" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        return created.GetProperty("key").GetString()!;
    }
}
