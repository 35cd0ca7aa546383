using System.Collections.Concurrent;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Storage;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.IntegrationTests.Webhooks.Delivery;

/// <summary>Two AdoBridge instances on one PostgreSQL share delivery without ever sending one attempt twice.</summary>
public sealed class MultiInstanceDeliveryTests
{
    [Fact]
    public async Task TwoInstances_500EventsEach_EveryAttemptSentExactlyOnce()
    {
        await using var receiver = await ProductReceiver.StartAsync();
        var failedOnce = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);

        // Every seventh event fails its first attempt, so retries are shared across instances too.
        receiver.Respond("shared", r => r.WebhookId[^1] % 7 == 0 && failedOnce.TryAdd(r.WebhookId, true) ? 500 : 200);
        var settings = await StorageEngine.SettingsAsync(StorageEngine.Postgres);
        settings["ADOBRIDGE_MASTER_KEY"] = Convert.ToBase64String(Enumerable.Range(11, 32).Select(i => (byte)i).ToArray());
        // A generous timeout: on a loaded machine a 1 s one turns a slow 200 into a retried "failure", a second receipt
        // that is at-least-once working as intended, but not what this test counts.
        settings["AdoBridge:Webhooks:Timeout"] = "00:00:10";
        settings = WebhookServers.FastDelivery(settings);
        await using var a = await AdoBridgeServer.StartAsync(settings);
        await using var b = await AdoBridgeServer.StartAsync(settings);
        using var api = a.Client();
        var (_, secret) = await api.CreateEndpointAsync(receiver.Url("shared"), "pull_request.*");

        var added = await Task.WhenAll(a.AddEventsAsync(500), b.AddEventsAsync(500));
        var ids = added.SelectMany(x => x).ToHashSet(StringComparer.Ordinal);

        await receiver.WaitAsync("shared", r =>
        {
            var counts = r.GroupBy(x => x.WebhookId).ToDictionary(g => g.Key, g => g.Count());
            return ids.All(id => counts.TryGetValue(id, out var n) && n >= (failedOnce.ContainsKey(id) ? 2 : 1));
        }, TimeSpan.FromSeconds(60));
        await Task.Delay(500);

        var receipts = receiver.On("shared");
        receiver.ConcurrentDuplicates.ShouldBe(0);
        receipts.Select(r => r.WebhookId).ToHashSet().SetEquals(ids).ShouldBeTrue();
        var perId = receipts.GroupBy(r => r.WebhookId).ToDictionary(g => g.Key, g => g.Count());
        perId.Where(kv => kv.Value != (failedOnce.ContainsKey(kv.Key) ? 2 : 1)).ShouldBeEmpty("each attempt is sent once: one receipt per success, plus one per failed attempt");
        receipts.Take(20).ToList().ForEach(r => r.ShouldVerifyWith(secret));

        // Outcomes are recorded in batches just after the answers: wait for the last ones.
        await using var db = await a.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        for (var i = 0; i < 200 && await db.Deliveries.CountAsync(d => d.Status == "succeeded") < 1000; i++)
        {
            await Task.Delay(50);
        }

        (await db.Deliveries.CountAsync(d => d.Status == "succeeded")).ShouldBe(1000);
        var attempts = await db.DeliveryAttempts.GroupBy(x => x.EventId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count);
        attempts.Count.ShouldBe(1000);
        attempts.Where(kv => perId[kv.Key] != kv.Value).ShouldBeEmpty("every receipt was recorded as exactly one attempt");
        a.Service<AdoBridge.Webhooks.Delivery.WebhookSender>().Sent.ShouldBeGreaterThan(0, "both instances share the work");
        b.Service<AdoBridge.Webhooks.Delivery.WebhookSender>().Sent.ShouldBeGreaterThan(0, "both instances share the work");
    }
}
