using System.Net;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Connections;

public sealed class ConnectSessionExpiryTests
{
    [Fact]
    public async Task ExpiredConnectLink_IsRefusedWithAClearPage()
    {
        await using var server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?> { ["AdoBridge:ConnectSessionLifetime"] = "00:00:01" });
        using var api = server.Client();
        var returnUrl = new Uri(server.BaseUrl, "/product/return").ToString();
        var url = (await api.CreateConnectSessionAsync(new { endUserId = "late", returnUrl })).GetProperty("url").GetString()!;

        await Task.Delay(1500);
        using var user = new BrowserlessUser();
        await user.GetAsync(url);

        user.Last!.StatusCode.ShouldBe(HttpStatusCode.Gone);
        user.LastBody.ShouldContain("This link has expired");
        user.LastBody.ShouldContain("status=expired");
    }
}
