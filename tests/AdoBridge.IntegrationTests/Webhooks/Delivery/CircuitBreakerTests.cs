using System.Diagnostics;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Webhooks.Delivery;

/// <summary>A dead endpoint opens its circuit and does not slow deliveries to the others; a trial request closes it again.</summary>
public sealed class CircuitBreakerTests
{
    [Fact]
    public async Task BlackholeEndpoint_OpensItsCircuit_HealthyEndpointKeepsGettingEventsFast_ThenRecovers()
    {
        await using var receiver = await ProductReceiver.StartAsync();
        receiver.Blackhole("blackhole");
        await using var server = await WebhookServers.StartAsync(settings: new()
        {
            ["AdoBridge:Webhooks:CircuitBreakerThreshold"] = "3",
            ["AdoBridge:Webhooks:CircuitBreakerOpenDuration"] = "00:00:02",
            ["AdoBridge:Webhooks:RetrySchedule:0"] = "00:00:00.100",
        });
        using var api = server.Client();
        var (dead, _) = await api.CreateEndpointAsync(receiver.Url("blackhole"), "pull_request.*");
        await api.CreateEndpointAsync(receiver.Url("healthy"), "pull_request.*");

        var watch = Stopwatch.StartNew();
        var ids = await server.AddEventsAsync(60);

        await receiver.WaitAsync("healthy", r => r.Select(x => x.WebhookId).Distinct().Count() == 60, TimeSpan.FromSeconds(5));
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(3), "the healthy endpoint does not wait for the blackhole's timeouts");
        var endpoint = await WaitForCircuitAsync(api, dead, "open");
        endpoint.GetProperty("consecutiveFailures").GetInt32().ShouldBe(3);
        receiver.On("blackhole").Count.ShouldBeLessThanOrEqualTo(8, "about the per-endpoint concurrency (4) reaches a dead endpoint before its circuit opens");
        var waiting = await (await api.GetAsync($"/v1/deliveries?endpointId={dead}&status=pending&limit=500")).ShouldBeJsonAsync();
        waiting.GetProperty("items").GetArrayLength().ShouldBeGreaterThanOrEqualTo(50, "deliveries wait while the circuit is open, without using attempts");

        receiver.Heal("blackhole");
        await receiver.WaitAsync("blackhole", r => r.Select(x => x.WebhookId).Distinct().Count() == 60, TimeSpan.FromSeconds(10));
        (await WaitForCircuitAsync(api, dead, "closed")).GetProperty("consecutiveFailures").GetInt32().ShouldBe(0);
        receiver.ConcurrentDuplicates.ShouldBe(0);
        foreach (var id in ids.Take(5))
        {
            await api.WaitForEventStatusAsync(id, "delivered");
        }
    }

    private static Task<System.Text.Json.JsonElement> WaitForCircuitAsync(HttpClient api, string id, string circuit)
        => DeliveryResilienceTests.WaitForAsync(api, id, e => e.GetProperty("circuit").GetString() == circuit);
}
