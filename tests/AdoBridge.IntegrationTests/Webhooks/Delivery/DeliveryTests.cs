using System.Net;
using System.Net.Http.Json;
using AdoBridge.Client;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Storage;

namespace AdoBridge.IntegrationTests.Webhooks.Delivery;

/// <summary>Events reach the product's endpoint signed per Standard Webhooks, are retried until the endpoint is back, and die after the schedule.</summary>
[Collection(DeliveryFixture.Name)]
public sealed class DeliveryTests(DeliveryFixture fixture)
{
    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task ConnectionCreated_ArrivesSigned_VerifiesWithTheEndpointSecret(string engine)
    {
        await using var receiver = await ProductReceiver.StartAsync();
        var server = fixture.Server(engine);
        using var api = server.Client();
        var (_, secret) = await api.CreateEndpointAsync(receiver.Url("hooks"), "connection.*");

        var connectionId = await server.ConnectWithMicrosoftAsync("webhook-user");

        var receipt = await receiver.NextAsync("hooks", r => r.Json.GetProperty("type").GetString() == "connection.created" && r.Text.Contains(connectionId));
        receipt.ShouldVerifyWith(secret);
        var body = receipt.Json;
        body.GetProperty("id").GetString().ShouldBe(receipt.WebhookId);
        body.GetProperty("connectionId").GetString().ShouldBe(connectionId);
        body.GetProperty("data").GetProperty("connectionId").GetString().ShouldBe(connectionId);
        DateTimeOffset.Parse(body.GetProperty("timestamp").GetString()!).ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        body.TryGetProperty("organization", out _).ShouldBeFalse("nulls are left out");
        receipt.Headers["content-type"].ShouldStartWith("application/json");
        receipt.Headers["user-agent"].ShouldStartWith("AdoBridge-Webhooks/");
        long.Parse(receipt.Headers["webhook-timestamp"]).ShouldBeInRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        receipt.Headers["webhook-signature"].ShouldStartWith("v1,");
        Should.Throw<WebhookVerificationException>(() => new StandardWebhookVerifier(secret).Verify(
            receipt.WebhookId, receipt.Headers["webhook-timestamp"], receipt.Headers["webhook-signature"], receipt.Text.Replace("webhook-user", "someone-else")));

        var logged = await api.WaitForEventStatusAsync(receipt.WebhookId, "delivered");
        var attempt = logged.GetProperty("deliveries")[0].GetProperty("attempts")[0];
        attempt.GetProperty("statusCode").GetInt32().ShouldBe(200);
        attempt.GetProperty("outcome").GetString().ShouldBe("succeeded");
        attempt.GetProperty("responseBody").GetString().ShouldBe("answer 200 from the product");
    }

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task FailingEndpoint_IsRetriedWithBackoff_UntilItAnswers2xx_SameWebhookId(string engine)
    {
        await using var receiver = await ProductReceiver.StartAsync();
        var calls = 0;
        receiver.Respond("flaky", _ => Interlocked.Increment(ref calls) <= 2 ? 500 : 200);
        var (client, environment) = await fixture.NewEnvironmentAsync(engine);
        using var api = client;
        var (_, secret) = await api.CreateEndpointAsync(receiver.Url("flaky"), "pull_request.*");

        var id = (await fixture.Server(engine).AddEventsAsync(1, environment: environment)).Single();

        var receipts = await receiver.WaitAsync("flaky", r => r.Count >= 3);
        receipts.Count.ShouldBe(3);
        receipts.ShouldAllBe(r => r.WebhookId == id);
        foreach (var r in receipts)
        {
            r.ShouldVerifyWith(secret);
        }

        (receipts[1].ReceivedAt - receipts[0].ReceivedAt).ShouldBeGreaterThan(TimeSpan.FromMilliseconds(150), "the retry waits for its scheduled delay");
        receipts.Select(r => r.Text).Distinct().Count().ShouldBe(1, "every retry sends the same body");
        var logged = await api.WaitForEventStatusAsync(id, "delivered");
        var attempts = logged.GetProperty("deliveries")[0].GetProperty("attempts").EnumerateArray().ToList();
        attempts.Select(a => a.GetProperty("statusCode").GetInt32()).ShouldBe([500, 500, 200]);
        attempts.Select(a => a.GetProperty("outcome").GetString()).ShouldBe(["failed", "failed", "succeeded"]);
        attempts.Select(a => a.GetProperty("attempt").GetInt32()).ShouldBe([1, 2, 3]);
        attempts[0].GetProperty("responseBody").GetString().ShouldBe("answer 500 from the product");
        attempts[0].GetProperty("error").GetString()!.ShouldContain("500");
        logged.GetProperty("rawPayload").GetProperty("eventType").GetString().ShouldBe("git.pullrequest.created");
        // Nothing is sent after success: the log has the delivery finished, with no next attempt, and every send recorded.
        var delivery = logged.GetProperty("deliveries")[0];
        delivery.GetProperty("status").GetString().ShouldBe("succeeded");
        (!delivery.TryGetProperty("nextAttemptAt", out var next) || next.ValueKind == System.Text.Json.JsonValueKind.Null).ShouldBeTrue($"no next attempt, but {next}");
        receiver.On("flaky").Count.ShouldBe(attempts.Count);
    }

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task DeadAfterTheSchedule_ThenReplay_SendsAgainWithTheSameWebhookId(string engine)
    {
        await using var receiver = await ProductReceiver.StartAsync();
        var down = true;
        receiver.Respond("down", _ => Volatile.Read(ref down) ? 503 : 204);
        var (client, environment) = await fixture.NewEnvironmentAsync(engine);
        using var api = client;
        var (endpointId, secret) = await api.CreateEndpointAsync(receiver.Url("down"), "pull_request.created");

        var ids = await fixture.Server(engine).AddEventsAsync(3, environment: environment);

        foreach (var id in ids)
        {
            await api.WaitForEventStatusAsync(id, "dead");
        }

        receiver.On("down").Count.ShouldBe(12, "4 attempts each: the first and 3 retries");
        var dead = await (await api.GetAsync($"/v1/deliveries?endpointId={endpointId}&status=dead")).ShouldBeJsonAsync();
        dead.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("eventId").GetString()).ShouldBe(ids, ignoreOrder: true);
        dead.GetProperty("items")[0].GetProperty("attemptCount").GetInt32().ShouldBe(4);
        (await (await api.GetAsync("/v1/events?status=dead&type=pull_request.*")).ShouldBeJsonAsync()).GetProperty("items").GetArrayLength().ShouldBe(3);
        Volatile.Write(ref down, false);

        var replayed = await (await api.PostAsJsonAsync($"/v1/events/{ids[0]}/replay", new { endpointId })).ShouldBeJsonAsync(HttpStatusCode.Accepted);
        replayed.GetProperty("deliveries")[0].GetProperty("status").GetString().ShouldBeOneOf("pending", "succeeded");
        var again = await receiver.WaitAsync("down", r => r.Count(x => x.WebhookId == ids[0]) == 5);
        again.Last(x => x.WebhookId == ids[0]).ShouldVerifyWith(secret);
        await api.WaitForEventStatusAsync(ids[0], "delivered");

        var requeued = await (await api.PostAsJsonAsync($"/v1/webhook-endpoints/{endpointId}/replay-failed", new { })).ShouldBeJsonAsync(HttpStatusCode.Accepted);
        requeued.GetProperty("requeued").GetInt32().ShouldBe(2);
        await receiver.WaitAsync("down", r => r.Count(x => x.WebhookId == ids[1]) == 5 && r.Count(x => x.WebhookId == ids[2]) == 5);
        await api.WaitForEventStatusAsync(ids[2], "delivered");
        var history = (await api.EventAsync(ids[2])).GetProperty("deliveries")[0].GetProperty("attempts");
        history.GetArrayLength().ShouldBe(5, "the attempts before the replay stay in the log");
    }

    [Fact]
    public async Task EventLog_FiltersByTypeStatusTimeAndSource()
    {
        await using var receiver = await ProductReceiver.StartAsync();
        receiver.Respond("no", _ => 500);
        var server = fixture.Server();
        var (client, environment) = await fixture.NewEnvironmentAsync();
        using var api = client;
        await api.CreateEndpointAsync(receiver.Url("yes"), "pull_request.*");
        await api.CreateEndpointAsync(receiver.Url("no"), "work_item.*");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var prs = await server.AddEventsAsync(2, "pull_request.merged", environment);
        var items = await server.AddEventsAsync(1, "work_item.created", environment);
        var builds = await server.AddEventsAsync(1, "build.completed", environment);
        await api.WaitForEventStatusAsync(prs[1], "delivered");
        await api.WaitForEventStatusAsync(items[0], "dead");
        await api.WaitForEventStatusAsync(builds[0], "none");

        async Task<List<string>> IdsAsync(string query)
            => (await (await api.GetAsync("/v1/events?" + query)).ShouldBeJsonAsync()).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();

        (await IdsAsync("type=pull_request.*")).ShouldBe(prs, ignoreOrder: true);
        (await IdsAsync("type=pull_request.merged&status=delivered")).ShouldBe(prs, ignoreOrder: true);
        (await IdsAsync("status=dead")).ShouldBe(items);
        (await IdsAsync("status=none&source=azure_devops")).ShouldBe(builds);
        (await IdsAsync($"since={Uri.EscapeDataString(before.ToString("O"))}&source=azure_devops")).Count.ShouldBe(4);
        (await IdsAsync($"since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}")).ShouldBeEmpty();
        (await IdsAsync($"until={Uri.EscapeDataString(before.ToString("O"))}&source=azure_devops")).ShouldBeEmpty();
        (await IdsAsync("source=adobridge&type=pull_request.*")).ShouldBeEmpty();
        var listed = (await (await api.GetAsync("/v1/events?type=pull_request.merged")).ShouldBeJsonAsync()).GetProperty("items")[0];
        listed.GetProperty("status").GetString().ShouldBe("delivered");
        listed.GetProperty("organization").GetString().ShouldBe("fabrikam");
        await (await api.GetAsync("/v1/events?status=lost")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_filter");
        await (await api.GetAsync("/v1/deliveries?status=lost")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_filter");
        await (await api.GetAsync("/v1/events/evt_missing")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "event_not_found");
    }
}
