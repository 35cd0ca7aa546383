using System.Net;
using System.Net.Http.Json;
using AdoBridge.Apps.Checks;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Apps;

public sealed class SecretExpiryEventTests
{
    [Fact]
    public async Task ExpiringSecret_IsAnnouncedOncePerEnvironment()
    {
        await using var server = await AdoBridgeServer.StartAsync();
        using var api = server.Client();
        (await api.PutAsJsonAsync("/v1/admin/apps/expiring-soon", new
        {
            type = "entra",
            tenant = "organizations",
            clientId = "5e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c",
            clientSecrets = new[] { new { id = "2026-05", value = "Ex1~Expiring.Secret-Value9For8Test7xxxxx", expiresAt = DateTimeOffset.UtcNow.AddDays(9) } },
            publicBaseUrl = "https://adobridge.contoso.example",
        })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var monitor = server.Service<AppSecretMonitor>();

        await monitor.CheckAsync(CancellationToken.None);
        (await monitor.CheckAsync(CancellationToken.None)).ShouldBe(0);

        var events = await (await api.GetAsync("/v1/events?type=app.secret_expiring")).ShouldBeJsonAsync();
        var item = events.GetProperty("items").EnumerateArray().Single();
        item.GetProperty("data").GetProperty("app").GetString().ShouldBe("expiring-soon");
        item.GetProperty("data").GetProperty("secretId").GetString().ShouldBe("2026-05");
        item.ToString().ShouldNotContain("Ex1~Expiring");
    }
}
