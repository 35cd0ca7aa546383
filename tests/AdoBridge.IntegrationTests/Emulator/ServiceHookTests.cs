using System.Net;
using System.Text;
using AdoBridge.Emulator;

namespace AdoBridge.IntegrationTests.Emulator;

public sealed class ServiceHookTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    private static readonly string ProjectId = Secrets.StableGuid($"project:fabrikam:{EmulatorDefaults.Project}".ToUpperInvariant()).ToString();

    [Fact]
    public async Task PullRequestCreated_IsPostedWithBasicAuthAndTheCustomHeader_OnlyToMatchingSubscriptions()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var ado = AdoTestClient.For(fx);
        var sub = (await Subscribe(ado, "git.pullrequest.created", receiver.Url, EmulatorDefaults.RepositoryId)).ShouldBe(HttpStatusCode.OK);
        var other = (await Subscribe(ado, "git.pullrequest.created", receiver.Url, Guid.NewGuid().ToString())).ShouldBe(HttpStatusCode.OK);

        var pr = (await ado.PostAsync($"{ado.RepoPath}/pullrequests", new { sourceRefName = "refs/heads/feature/login", targetRefName = "refs/heads/users/bob/readme-typo", title = "Hook me" })).ShouldBe(HttpStatusCode.Created);
        var hook = await receiver.NextAsync();

        hook.EventType.ShouldBe("git.pullrequest.created");
        hook.Headers["Authorization"].ShouldBe("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("fabrikam:s3cret!")));
        hook.Headers["X-Fabrikam-Token"].ShouldBe("abc:123");
        hook.Body.GetProperty("subscriptionId").GetString().ShouldBe(sub["id"].GetString());
        hook.Body.GetProperty("publisherId").GetString().ShouldBe("tfs");
        hook.Body.GetProperty("resource").GetProperty("pullRequestId").GetInt32().ShouldBe(pr["pullRequestId"].GetInt32());
        hook.Body.GetProperty("resource").GetProperty("repository").GetProperty("id").GetString().ShouldBe(EmulatorDefaults.RepositoryId);
        hook.Body.GetProperty("resourceContainers").GetProperty("project").GetProperty("id").GetString().ShouldBe(ProjectId);
        hook.Body.GetProperty("message").GetProperty("text").GetString()!.ShouldContain("created a new pull request");
        sub["consumerInputs"].GetProperty("basicAuthPassword").GetString().ShouldBe("********");
        fx.State.HookDeliveries.ShouldNotContain(d => d.SubscriptionId == Guid.Parse(other["id"].GetString()!));
    }

    [Fact]
    public async Task EnduringFailure_PutsTheSubscriptionOnProbation_NewEventsAreDropped_AndASuccessfulRetryRestoresIt()
    {
        fx.State.SetHookBackoffFactor(0.0002);
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = 500;
        var ado = AdoTestClient.For(fx);
        var sub = (await Subscribe(ado, "workitem.created", receiver.Url))["id"].GetString()!;
        var create = $"{ado.OrgPath}/{AdoTestClient.Project}/_apis/wit/workitems/$Task";
        object[] patch = [new { op = "add", path = "/fields/System.Title", value = "Probation" }];

        await ado.PostAsync(create, patch, "application/json-patch+json");
        var failed = await receiver.NextAsync();
        await WaitUntil(() => fx.State.HookDeliveries.Any(d => d.SubscriptionId.ToString() == sub && d.Outcome == "failed"));
        var onProbation = await ado.GetAsync($"{ado.OrgPath}/_apis/hooks/subscriptions/{sub}");
        await ado.PostAsync(create, patch, "application/json-patch+json");
        receiver.Status = 200;
        var retried = await receiver.NextAsync();
        await WaitUntil(() => fx.State.HookDeliveries.Any(d => d.SubscriptionId.ToString() == sub && d.Outcome == "delivered"));

        onProbation["status"].GetString().ShouldBe("onProbation");
        fx.State.HookDeliveries.ShouldContain(d => d.SubscriptionId.ToString() == sub && d.Outcome == "dropped");
        retried.Body.GetProperty("id").GetString().ShouldBe(failed.Body.GetProperty("id").GetString());
        (await ado.GetAsync($"{ado.OrgPath}/_apis/hooks/subscriptions/{sub}"))["status"].GetString().ShouldBe("enabled");
    }

    [Fact]
    public async Task TransientFailures_AreRetriedWithTheSameId_And410DisablesTheSubscription()
    {
        fx.State.SetHookBackoffFactor(0.001);
        await using var receiver = await WebhookReceiver.StartAsync();
        var ado = AdoTestClient.For(fx);
        var sub = (await Subscribe(ado, "workitem.commented", receiver.Url))["id"].GetString()!;
        var comments = $"{ado.OrgPath}/{AdoTestClient.Project}/_apis/wit/workItems/1/comments?api-version=7.1-preview.4";

        receiver.Status = 503;
        await ado.PostAsync(comments, new { text = "first" });
        var first = await receiver.NextAsync();
        receiver.Status = 200;
        var second = await receiver.NextAsync();
        receiver.Status = 410;
        await ado.PostAsync(comments, new { text = "second" });
        await receiver.NextAsync();
        await WaitUntil(() => fx.State.HookDeliveries.Any(d => d.SubscriptionId.ToString() == sub && d.Outcome == "terminalFailure"));

        second.Body.GetProperty("id").GetString().ShouldBe(first.Body.GetProperty("id").GetString());
        second.Body.GetProperty("resource").GetProperty("fields").GetProperty("System.History").GetString().ShouldBe("first");
        (await ado.GetAsync($"{ado.OrgPath}/_apis/hooks/subscriptions/{sub}"))["status"].GetString().ShouldBe("disabledBySystem");
    }

    [Fact]
    public async Task Subscriptions_RejectBadInput_Like400()
    {
        var ado = AdoTestClient.For(fx);

        var unknownEvent = await Subscribe(ado, "git.nope", "https://hooks.example/x");
        var plainHttp = await Subscribe(ado, "git.push", "http://hooks.example/x");
        var noUrl = await Subscribe(ado, "git.push", "");

        unknownEvent.Status.ShouldBe(HttpStatusCode.BadRequest);
        plainHttp.Status.ShouldBe(HttpStatusCode.BadRequest);
        noUrl.Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    private static Task<Answer> Subscribe(AdoTestClient ado, string eventType, string url, string? repository = null) =>
        ado.PostAsync($"{ado.OrgPath}/_apis/hooks/subscriptions", new
        {
            publisherId = "tfs",
            eventType,
            resourceVersion = "1.0",
            consumerId = "webHooks",
            consumerActionId = "httpRequest",
            publisherInputs = new Dictionary<string, string?> { ["projectId"] = ProjectId, ["repository"] = repository },
            consumerInputs = new Dictionary<string, string>
            {
                ["url"] = url,
                ["basicAuthUsername"] = "fabrikam",
                ["basicAuthPassword"] = "s3cret!",
                ["httpHeaders"] = "X-Fabrikam-Token:abc:123\nX-Other: yes",
                ["resourceDetailsToSend"] = "all",
            },
        });

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }
}
