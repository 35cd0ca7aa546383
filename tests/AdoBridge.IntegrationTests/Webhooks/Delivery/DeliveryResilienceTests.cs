using System.Net;
using System.Net.Http.Json;
using AdoBridge.Client;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using AdoBridge.Webhooks.Delivery;

namespace AdoBridge.IntegrationTests.Webhooks.Delivery;

/// <summary>410 Gone, test events and retention.</summary>
[Collection(DeliveryFixture.Name)]
public sealed class DeliveryResilienceTests(DeliveryFixture fixture)
{
    [Fact]
    public async Task Gone410_DisablesTheEndpoint_DeliveriesWait()
    {
        await using var receiver = await ProductReceiver.StartAsync();
        receiver.Respond("gone", _ => 410);
        var (client, environment) = await fixture.NewEnvironmentAsync();
        using var api = client;
        var (id, _) = await api.CreateEndpointAsync(receiver.Url("gone"), "pull_request.*");

        var eventId = (await fixture.Server().AddEventsAsync(1, environment: environment))[0];

        await receiver.WaitAsync("gone", r => r.Count == 1);
        var endpoint = await WaitForAsync(api, id, e => e.GetProperty("status").GetString() == "disabled");
        endpoint.GetProperty("status").GetString().ShouldBe("disabled");
        // A disabled endpoint gets nothing: once its delivery's retry is due, a later delivery to another endpoint goes out
        // (the sender claims due deliveries oldest first), and the log still has the one attempt.
        var failed = (await api.EventAsync(eventId)).GetProperty("deliveries")[0];
        var due = failed.GetProperty("nextAttemptAt").GetDateTimeOffset();
        while (DateTimeOffset.UtcNow <= due)
        {
            await Task.Delay(due - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(1));
        }

        var (barrier, _) = await api.CreateEndpointAsync(receiver.Url("barrier"), "connection.created");
        var barrierEvent = (await (await api.PostAsync($"/v1/webhook-endpoints/{barrier}/test", null)).ShouldBeJsonAsync(HttpStatusCode.Accepted)).GetProperty("eventId").GetString()!;
        await api.WaitForEventStatusAsync(barrierEvent, "delivered");
        var logged = await api.EventAsync(eventId);
        logged.GetProperty("status").GetString().ShouldBe("failed");
        logged.GetProperty("deliveries")[0].GetProperty("attemptCount").GetInt32().ShouldBe(1, "a disabled endpoint gets nothing");
        receiver.On("gone").Count.ShouldBe(1);
        await (await api.PostAsync($"/v1/webhook-endpoints/{id}/test", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "webhook_endpoint_disabled");

        receiver.Respond("gone", _ => 200);
        (await api.PatchAsJsonAsync($"/v1/webhook-endpoints/{id}", new { status = "enabled" })).EnsureSuccessStatusCode();
        await api.WaitForEventStatusAsync(eventId, "delivered");
    }

    [Fact]
    public async Task TestEvent_GoesToThatEndpointOnly_Signed()
    {
        await using var receiver = await ProductReceiver.StartAsync();
        var (client, _) = await fixture.NewEnvironmentAsync();
        using var api = client;
        var (id, secret) = await api.CreateEndpointAsync(receiver.Url("one"), "connection.created");
        await api.CreateEndpointAsync(receiver.Url("other"));

        var sent = await (await api.PostAsync($"/v1/webhook-endpoints/{id}/test", null)).ShouldBeJsonAsync(HttpStatusCode.Accepted);

        var receipt = await receiver.NextAsync("one");
        receipt.ShouldVerifyWith(secret);
        receipt.WebhookId.ShouldBe(sent.GetProperty("eventId").GetString());
        receipt.Json.GetProperty("type").GetString().ShouldBe("webhook.test");
        // Only that endpoint has a delivery for it, so nothing can go to the other.
        var logged = await api.WaitForEventStatusAsync(sent.GetProperty("eventId").GetString()!, "delivered");
        logged.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("endpointId").GetString()).ShouldBe([id]);
        receiver.On("other").ShouldBeEmpty();
    }

    [Fact]
    public async Task Retention_DeletesOldEventsDeliveriesAndAttempts_InPages_KeepsRecentOnes()
    {
        var server = fixture.Server();
        var contexts = server.Service<IDbContextFactory<AdoBridgeDbContext>>();
        var now = DateTimeOffset.UtcNow;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            for (var i = 0; i < 5; i++)
            {
                Seed(db, $"evt_old{i}", now.AddDays(-31));
            }

            Seed(db, "evt_recent", now.AddDays(-29));
            await db.SaveChangesAsync();
        }

        var deleted = await server.Service<EventRetention>().RunOnceAsync(CancellationToken.None);

        deleted.ShouldBe(5);
        await using var check = await contexts.CreateDbContextAsync();
        (await check.Events.Where(e => e.Id.StartsWith("evt_old") || e.Id == "evt_recent").Select(e => e.Id).ToListAsync()).ShouldBe(["evt_recent"]);
        (await check.Deliveries.Where(d => d.EventId.StartsWith("evt_old")).CountAsync()).ShouldBe(0);
        (await check.DeliveryAttempts.Where(a => a.EventId.StartsWith("evt_old")).CountAsync()).ShouldBe(0);
        (await check.DeliveryAttempts.Where(a => a.EventId == "evt_recent").CountAsync()).ShouldBe(1);
    }

    private static void Seed(AdoBridgeDbContext db, string id, DateTimeOffset at)
    {
        db.Events.Add(new EventEntity { Id = id, EnvironmentId = WebhookServers.Environment, Type = "pull_request.created", Payload = "{}", CreatedAt = at, DispatchedAt = at });
        db.Deliveries.Add(new DeliveryEntity { Id = "dlv_" + id, EnvironmentId = WebhookServers.Environment, EventId = id, EndpointId = "whe_x", Status = "succeeded", Attempts = 1, NextAttemptAt = at, CreatedAt = at });
        db.DeliveryAttempts.Add(new DeliveryAttemptEntity { Id = "att_" + id, DeliveryId = "dlv_" + id, EventId = id, EndpointId = "whe_x", Attempt = 1, StartedAt = at, Outcome = "succeeded", StatusCode = 200 });
    }

    internal static async Task<System.Text.Json.JsonElement> WaitForAsync(HttpClient api, string id, Func<System.Text.Json.JsonElement, bool> condition)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while (true)
        {
            var endpoint = await (await api.GetAsync($"/v1/webhook-endpoints/{id}")).ShouldBeJsonAsync();
            if (condition(endpoint))
            {
                return endpoint;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Endpoint {id} did not reach the expected state: {endpoint}");
            }

            await Task.Delay(50);
        }
    }
}
