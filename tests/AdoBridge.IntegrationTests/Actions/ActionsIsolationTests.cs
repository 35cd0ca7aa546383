using System.Net;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Actions;

/// <summary>The newer actions are protected like the rest: no key is 401, a key of another environment does not see the connection.</summary>
public sealed class ActionsIsolationTests(ActionsFixture fixture) : IClassFixture<ActionsFixture>
{
    public static TheoryData<string, string> Routes => new()
    {
        { "PATCH", "{repo}/pull-requests/1" },
        { "GET", "{repo}/pull-requests/1/reviewers" },
        { "PUT", "{repo}/pull-requests/1/reviewers/" + ActionsTestData.BobId },
        { "DELETE", "{repo}/pull-requests/1/reviewers/" + ActionsTestData.BobId },
        { "PUT", "{repo}/pull-requests/1/vote" },
        { "PATCH", "{repo}/pull-requests/1/threads/1" },
        { "GET", "{repo}/commits/" + "0123456789abcdef0123456789abcdef01234567" + "/statuses" },
        { "POST", "{repo}/commits/" + "0123456789abcdef0123456789abcdef01234567" + "/statuses" },
        { "GET", "{project}/work-items/1/comments" },
        { "POST", "{project}/work-items/1/comments" },
        { "GET", "{project}/pipelines" },
        { "POST", "{project}/pipelines/1/runs" },
        { "GET", "{project}/pipelines/1/runs" },
        { "GET", "{project}/pipelines/1/runs/1" },
    };

    private static readonly Dictionary<string, string> ValidBodies = new()
    {
        ["PATCH"] = "{\"title\":\"x\",\"status\":\"active\"}",
        ["PUT"] = "{\"vote\":\"approve\",\"isRequired\":false}",
        ["POST"] = "{\"text\":\"x\",\"state\":\"succeeded\",\"context\":{\"name\":\"lint\"}}",
    };

    private HttpRequestMessage Request(string method, string route)
    {
        var path = route.Replace("{repo}", fixture.RepoPath, StringComparison.Ordinal).Replace("{project}", fixture.ProjectPath, StringComparison.Ordinal);
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (ValidBodies.TryGetValue(method, out var body))
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        return request;
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task KeyOfAnotherEnvironment_Answers404ForTheConnection(string method, string route)
    {
        using var other = fixture.Server.Client(await fixture.OtherEnvironmentKeyAsync());

        using var response = await other.SendAsync(Request(method, route));

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "connection_not_found");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task WithoutApiKey_Answers401(string method, string route)
    {
        using var anonymous = fixture.Server.Client(apiKey: null);

        using var response = await anonymous.SendAsync(Request(method, route));

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }
}
