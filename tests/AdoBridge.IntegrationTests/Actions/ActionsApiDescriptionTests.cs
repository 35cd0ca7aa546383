using System.Text.Json;

namespace AdoBridge.IntegrationTests.Actions;

/// <summary>The OpenAPI document describes the newer actions, each with a short summary and a description a product developer can act on.</summary>
public sealed class ActionsApiDescriptionTests(ActionsFixture fixture) : IClassFixture<ActionsFixture>
{
    [Theory]
    [InlineData("/pull-requests/{pullRequestId}", "patch", "completionOptions")]
    [InlineData("/pull-requests/{pullRequestId}/vote", "put", "approve-with-suggestions")]
    [InlineData("/pull-requests/{pullRequestId}/reviewers/{reviewerId}", "delete", "reviewer")]
    [InlineData("/pull-requests/{pullRequestId}/threads/{threadId}", "patch", "wontFix")]
    [InlineData("/commits/{commitId}/statuses", "post", "commit")]
    [InlineData("/work-items/{workItemId}/comments", "get", "continuationToken")]
    [InlineData("/pipelines/{pipelineId}/runs", "post", "templateParameters")]
    [InlineData("/pull-requests/{pullRequestId}/changes", "get", "unified diff")]
    [InlineData("/pull-requests/{pullRequestId}/policy-evaluations", "get", "blocks")]
    [InlineData("/repositories/{repo}/files", "get", "base64")]
    [InlineData("/identities", "get", "mail")]
    [InlineData("/work-items/{workItemId}/updates", "get", "old and new values")]
    [InlineData("/builds", "post", "parameters")]
    [InlineData("/builds/{buildId}/logs/{logId}", "get", "startLine")]
    public async Task OpenApi_HasTheRouteWithASummaryAndDescription(string suffix, string method, string descriptionMentions)
    {
        using var anonymous = fixture.Server.Client(apiKey: null);

        var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json")).RootElement;

        var path = document.GetProperty("paths").EnumerateObject().Single(p => p.Name.StartsWith("/v1/connections/{id}/", StringComparison.Ordinal) && p.Name.EndsWith(suffix, StringComparison.Ordinal));
        var operation = path.Value.GetProperty(method);
        operation.GetProperty("summary").GetString()!.Length.ShouldBeLessThan(60);
        operation.GetProperty("description").GetString()!.ShouldContain(descriptionMentions);
    }
}
