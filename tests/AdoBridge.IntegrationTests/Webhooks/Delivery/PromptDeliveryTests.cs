using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Storage;
using AdoBridge.Storage;
using AdoBridge.Webhooks.Delivery;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.IntegrationTests.Webhooks.Delivery;

/// <summary>
/// Events go out without waiting for a poll. Ingest hands a new event's deliveries straight to this instance's sender,
/// stored leased to it in the commit that stores the event, but only for an endpoint whose last attempt succeeded: a
/// failing endpoint's deliveries go through claims, which keep its backoff and circuit. A lifecycle event wakes the
/// dispatcher when the change that records it commits.
/// </summary>
public sealed class PromptDeliveryTests
{
    // The sandbox's seeded project: the same id in every emulator.
    private static string projectId = string.Empty;

    private static async Task<(AdoBridgeServer Server, string IngestUrl, string Secret)> StartAsync(string engine)
    {
        var server = await WebhookServers.StartAsync(engine, new() { ["AdoBridge:ServiceHooks:HealthCheckInterval"] = "00:00:00" });
        var connectionId = await server.ConnectWithMicrosoftAsync("handoff-user");
        using var api = server.Client();
        var subscription = await (await api.PostAsJsonAsync($"/v1/connections/{connectionId}/subscriptions",
            new { organization = "fabrikam", project = ServiceHooksFixture.Project, events = new[] { "git.pullrequest.created" } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        projectId = ServiceHooksFixture.ProjectIdOf(subscription);
        var (url, secret) = await ServiceHooksFixture.IngestOfAsync(server, subscription.GetProperty("hooks")[0]);
        return (server, url, secret);
    }

    private static async Task IngestAsync(string url, string secret, string title)
    {
        var json = SandboxPayloads.Retarget(SandboxPayloads.Sample("git.pullrequest.created.json"), projectId);
        json["resource"]!["title"] = title;
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("adobridge:" + secret)));
        using var response = await http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task HealthyEndpoint_NewEventsAreHandedToTheSender_StoredDispatchedAndLeased(string engine)
    {
        await using var receiver = await ProductReceiver.StartAsync();
        var (server, url, secret) = await StartAsync(engine);
        await using var _ = server;
        using var api = server.Client();
        var (endpointId, signing) = await api.CreateEndpointAsync(receiver.Url("prs"), "pull_request.*");
        var sender = server.Service<WebhookSender>();

        // The first delivery to an endpoint this instance has not sent to yet goes through a claim.
        await IngestAsync(url, secret, "first");
        await receiver.WaitAsync("prs", r => r.Count >= 1);
        await WaitAsync(() => Task.FromResult(sender.Sent >= 1));
        sender.HandedOff.ShouldBe(0);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => IngestAsync(url, secret, $"handed {i}")));

        var receipts = await receiver.WaitAsync("prs", r => r.Count >= 21);
        receipts.Count.ShouldBe(21);
        receipts.Select(r => r.WebhookId).Distinct().Count().ShouldBe(21);
        foreach (var receipt in receipts)
        {
            receipt.ShouldVerifyWith(signing);
        }

        sender.HandedOff.ShouldBe(20);
        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.Events.CountAsync(e => e.Type == "pull_request.created" && e.DispatchedAt == null)).ShouldBe(0, "ingest stores its events already dispatched");
        await WaitAsync(async () => await db.Deliveries.CountAsync(d => d.EndpointId == endpointId && d.Status == DeliveryStatus.Succeeded && d.LeaseOwner == null) == 21);
    }

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task FailingEndpoint_NewEventsAreNotHandedOff_TheyWaitForClaimsAndStillArrive(string engine)
    {
        await using var receiver = await ProductReceiver.StartAsync();
        var calls = 0;
        receiver.Respond("flaky", _ => Interlocked.Increment(ref calls) == 2 ? 500 : 200);
        var (server, url, secret) = await StartAsync(engine);
        await using var _ = server;
        using var api = server.Client();
        await api.CreateEndpointAsync(receiver.Url("flaky"), "pull_request.*");
        var sender = server.Service<WebhookSender>();

        await IngestAsync(url, secret, "ok");
        await WaitAsync(() => Task.FromResult(sender.Sent >= 1));
        await IngestAsync(url, secret, "fails once");
        await WaitAsync(() => Task.FromResult(sender.Sent >= 2));
        var handed = sender.HandedOff;
        handed.ShouldBe(1, "the endpoint was healthy after the first delivery");

        // Its last attempt failed: the next event is left to claims (and the retry of the failed one to its backoff).
        await IngestAsync(url, secret, "after the failure");

        var receipts = await receiver.WaitAsync("flaky", r => r.Select(x => x.WebhookId).Distinct().Count() >= 3 && r.Count >= 4);
        receipts.Select(r => r.WebhookId).Distinct().Count().ShouldBe(3);
        sender.HandedOff.ShouldBe(handed);
    }

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task LifecycleEvent_IsDeliveredWhenItsChangeCommits_NotAtTheNextPoll(string engine)
    {
        await using var receiver = await ProductReceiver.StartAsync();
        await using var server = await WebhookServers.StartAsync(engine, new() { ["AdoBridge:Webhooks:PollInterval"] = "00:00:30" });
        using var api = server.Client();
        await api.CreateEndpointAsync(receiver.Url("lifecycle"), "connection.*");
        await Task.Delay(500); // past start-up, so the dispatcher and sender are in their 30 s waits

        var started = DateTime.UtcNow;
        var connectionId = await server.ConnectWithMicrosoftAsync("prompt-user");
        var receipt = await receiver.NextAsync("lifecycle", r => r.Text.Contains(connectionId), TimeSpan.FromSeconds(20));

        receipt.Json.GetProperty("type").GetString().ShouldBe("connection.created");
        (DateTime.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(10), "a 30 s poll cannot explain this: the commit woke the dispatcher");
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "condition not met in 10 s");
            await Task.Delay(100);
        }
    }
}
