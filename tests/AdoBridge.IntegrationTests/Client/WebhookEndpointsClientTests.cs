using System.Security.Cryptography;
using System.Text;
using AdoBridge.Client;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Webhooks;

namespace AdoBridge.IntegrationTests.Client;

[Collection(ClientTestsCollection.Name)]
public sealed class WebhookEndpointsClientTests(SandboxServerFixture fixture)
{
    private AdoBridgeServer Server => fixture.Server;

    [Fact]
    public async Task Lifecycle_CreateGetUpdateRotateListDelete()
    {
        var client = Server.BridgeClient();

        var created = await client.WebhookEndpoints.CreateAsync(new CreateWebhookEndpointRequest(new Uri("http://127.0.0.1:9/client"), ["pull_request.*"], "from the client"));
        var fetched = await client.WebhookEndpoints.GetAsync(created.Id);
        var updated = await client.WebhookEndpoints.UpdateAsync(created.Id, new UpdateWebhookEndpointRequest { Events = ["work_item.*"], Status = "disabled" });
        var rotated = await client.WebhookEndpoints.RotateSecretAsync(created.Id);
        var listed = await client.WebhookEndpoints.ListAllAsync(new WebhookEndpointQuery { Limit = 1 }).ToListAsync();
        await client.WebhookEndpoints.DeleteAsync(created.Id);

        created.Secret.ShouldStartWith("whsec_");
        fetched.Description.ShouldBe("from the client");
        fetched.Circuit.ShouldBe("closed");
        updated.Events.ShouldBe(["work_item.*"]);
        updated.Status.ShouldBe("disabled");
        rotated.Secret.ShouldNotBe(created.Secret);
        rotated.PreviousSecretExpiresAt.ShouldNotBeNull();
        listed.ShouldContain(e => e.Id == created.Id);
        await client.WebhookEndpoints.GetAsync(created.Id).ShouldFailWithAsync(404, "webhook_endpoint_not_found");
        await client.WebhookEndpoints.CreateAsync(new CreateWebhookEndpointRequest(new Uri("http://127.0.0.1:9/x"), ["nope"])).ShouldFailWithAsync(400, "invalid_event_filter");
    }

    [Fact]
    public async Task TestEvent_ThenEventLog_ShowsTheDeliveryAndItsAttempts_ReplayQueuesItAgain()
    {
        await using var receiver = await ProductReceiver.StartAsync();
        var client = Server.BridgeClient();
        var endpoint = await client.WebhookEndpoints.CreateAsync(new CreateWebhookEndpointRequest(receiver.Url("client-test"), ["connection.created"]));

        var sent = await client.WebhookEndpoints.SendTestAsync(endpoint.Id);
        var receipt = await receiver.NextAsync("client-test");
        var verifier = new StandardWebhookVerifier(endpoint.Secret);
        verifier.Verify(receipt.Headers, receipt.Body);
        EventDetail detail;
        do
        {
            detail = await client.Events.GetAsync(sent.EventId);
        }
        while (detail.Status != EventDeliveryStatus.Delivered && await Task.Delay(50).ContinueWith(_ => true));

        detail.Type.ShouldBe(EventTypes.WebhookTest);
        detail.Deliveries.Single().Attempts.Single().StatusCode.ShouldBe(200);
        (await client.Events.ListDeliveriesAsync(new DeliveryQuery { EventId = sent.EventId })).Items.Single().Status.ShouldBe(DeliveryStatus.Succeeded);
        var replay = await client.Events.ReplayAsync(sent.EventId, endpoint.Id);
        replay.Deliveries.Single().EndpointId.ShouldBe(endpoint.Id);
        (await receiver.WaitAsync("client-test", r => r.Count == 2)).ShouldAllBe(r => r.WebhookId == sent.EventId);
        (await client.WebhookEndpoints.ReplayFailedAsync(endpoint.Id)).Requeued.ShouldBe(0);
        await client.WebhookEndpoints.DeleteAsync(endpoint.Id);
    }

    [Fact]
    public void Verifier_RefusesWrongSecret_OldTimestamp_TamperedBody_AcceptsAnyOfSeveralSignatures()
    {
        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var other = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var body = "{\"id\":\"evt_1\",\"type\":\"webhook.test\"}";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
        string Sign(string s, string ts) => "v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(s[6..]), Encoding.UTF8.GetBytes($"evt_1.{ts}.{body}")));
        var verifier = new StandardWebhookVerifier(secret);

        verifier.Verify("evt_1", now, Sign(secret, now), body);
        verifier.Verify("evt_1", now, Sign(other, now) + " " + Sign(secret, now), body);
        verifier.TryVerify("evt_1", now, Sign(other, now), Encoding.UTF8.GetBytes(body)).ShouldBeFalse();
        verifier.TryVerify("evt_1", now, Sign(secret, now), Encoding.UTF8.GetBytes(body + " ")).ShouldBeFalse();
        verifier.TryVerify("evt_2", now, Sign(secret, now), Encoding.UTF8.GetBytes(body)).ShouldBeFalse();
        var old = DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds().ToString();
        Should.Throw<WebhookVerificationException>(() => verifier.Verify("evt_1", old, Sign(secret, old), body)).Message.ShouldContain("tolerance");
        Should.Throw<WebhookVerificationException>(() => verifier.Verify("evt_1", now, null, body)).Message.ShouldContain("missing");
        new StandardWebhookVerifier([other, secret]).TryVerify("evt_1", now, Sign(secret, now), Encoding.UTF8.GetBytes(body)).ShouldBeTrue();
        Should.Throw<ArgumentException>(() => new StandardWebhookVerifier("whsec_not base64!")).Message.ShouldNotContain("not base64!");
    }
}
