using System.Net;
using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Webhooks;

/// <summary>The whole path over real HTTP: a pull request created through the proxy, the emulator's service hook, ingest,
/// normalisation, dispatch and a signed delivery to the product's endpoint.</summary>
[Collection(DeliveryFixture.Name)]
public sealed class EndToEndDeliveryTests(DeliveryFixture fixture)
{
    [Fact]
    public async Task PullRequestCreatedThroughTheProxy_ReachesTheProductSigned_WithItsRawPayloadInTheLog()
    {
        const string project = "Fabrikam-Fiber-Git";
        await using var receiver = await ProductReceiver.StartAsync();
        var server = fixture.Server();
        using var api = server.Client();
        var (_, secret) = await api.CreateEndpointAsync(receiver.Url("prs"), "pull_request.*");
        var connectionId = await server.ConnectWithMicrosoftAsync("e2e-user");
        await (await api.PostAsJsonAsync($"/v1/connections/{connectionId}/subscriptions", new { organization = "fabrikam", project, events = new[] { "git.pullrequest.created" } }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);

        var created = await (await api.PostAsJsonAsync($"/v1/proxy/{connectionId}/fabrikam/{project}/_apis/git/repositories/{project}/pullrequests?api-version=7.1",
            new { sourceRefName = "refs/heads/users/bob/readme-typo", targetRefName = "refs/heads/main", title = "End to end: fix README typo" })).ShouldBeJsonAsync(HttpStatusCode.Created);

        var receipt = await receiver.NextAsync("prs", r => r.Json.GetProperty("type").GetString() == "pull_request.created", TimeSpan.FromSeconds(15));
        receipt.ShouldVerifyWith(secret);
        var body = receipt.Json;
        body.GetProperty("connectionId").GetString().ShouldBe(connectionId);
        body.GetProperty("organization").GetString().ShouldBe("fabrikam");
        body.GetProperty("data").ToString().ShouldContain(created.GetProperty("pullRequestId").GetInt32().ToString());
        var logged = await api.WaitForEventStatusAsync(receipt.WebhookId, "delivered");
        logged.GetProperty("source").GetString().ShouldBe("azure_devops");
        logged.GetProperty("sourceEventType").GetString().ShouldBe("git.pullrequest.created");
        logged.GetProperty("rawPayload").GetProperty("eventType").GetString().ShouldBe("git.pullrequest.created");
    }
}
