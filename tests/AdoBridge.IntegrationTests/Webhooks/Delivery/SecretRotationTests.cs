using AdoBridge.Client;
using AdoBridge.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace AdoBridge.IntegrationTests.Webhooks.Delivery;

/// <summary>After a secret rotation, deliveries carry both signatures for the grace period and only the new one after it (on a fake clock).</summary>
public sealed class SecretRotationTests
{
    [Fact]
    public async Task RotatedSecret_BothSignaturesDuringGrace_OnlyTheNewOneAfter()
    {
        // An hour behind, so the signatures' timestamps are within the verifier's tolerance of real time at the end.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-1));
        var settings = await Storage.StorageEngine.SettingsAsync(Storage.StorageEngine.Sqlite);
        foreach (var (key, value) in WebhookServers.FastDelivery(new() { ["AdoBridge:Webhooks:SecretRotationGracePeriod"] = "01:00:00" }))
        {
            settings[key] = value;
        }

        await using var server = await AdoBridgeServer.StartAsync(settings, configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        await using var receiver = await ProductReceiver.StartAsync();
        using var api = server.Client();
        var (id, oldSecret) = await api.CreateEndpointAsync(receiver.Url("rotating"), "pull_request.*");

        var rotated = await (await api.PostAsync($"/v1/webhook-endpoints/{id}/rotate-secret", null)).ShouldBeJsonAsync();
        var newSecret = rotated.GetProperty("secret").GetString()!;
        newSecret.ShouldNotBe(oldSecret);
        rotated.GetProperty("previousSecretExpiresAt").GetDateTimeOffset().ShouldBe(clock.GetUtcNow().AddHours(1));

        clock.Advance(TimeSpan.FromMinutes(59));
        var during = (await server.AddEventsAsync(1))[0];
        var first = await receiver.NextAsync("rotating", r => r.WebhookId == during);
        first.Headers["webhook-signature"].Split(' ').Length.ShouldBe(2);
        first.ShouldVerifyWith(newSecret);
        first.ShouldVerifyWith(oldSecret);

        clock.Advance(TimeSpan.FromMinutes(1));
        var after = (await server.AddEventsAsync(1))[0];
        var second = await receiver.NextAsync("rotating", r => r.WebhookId == after);
        second.Headers["webhook-signature"].Split(' ').Length.ShouldBe(1);
        second.ShouldVerifyWith(newSecret);
        Should.Throw<WebhookVerificationException>(() => second.ShouldVerifyWith(oldSecret));
        var endpoint = await (await api.GetAsync($"/v1/webhook-endpoints/{id}")).ShouldBeJsonAsync();
        (!endpoint.TryGetProperty("previousSecretExpiresAt", out var expires) || expires.ValueKind == System.Text.Json.JsonValueKind.Null)
            .ShouldBeTrue($"the old secret has expired, but the endpoint shows {expires}");
    }
}
