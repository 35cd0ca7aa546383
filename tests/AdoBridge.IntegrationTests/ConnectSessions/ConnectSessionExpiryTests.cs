using System.Net;
using AdoBridge.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace AdoBridge.IntegrationTests.ConnectSessions;

/// <summary>A connect link works until its lifetime ends and is then refused with a page that says so (on a fake clock).</summary>
public sealed class ConnectSessionExpiryTests
{
    [Fact]
    public async Task ExpiredConnectLink_IsRefusedWithAClearPage()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await AdoBridgeServer.StartAsync(
            new Dictionary<string, string?> { ["AdoBridge:ConnectSessionLifetime"] = "00:30:00" },
            configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        using var api = server.Client();
        var returnUrl = new Uri(server.BaseUrl, "/product/return").ToString();
        var url = (await api.CreateConnectSessionAsync(new { endUserId = "late", returnUrl })).GetProperty("url").GetString()!;
        using var user = new BrowserlessUser();

        clock.Advance(TimeSpan.FromMinutes(29));
        await user.GetAsync(url);
        user.Last!.StatusCode.ShouldBe(HttpStatusCode.OK, "a minute before the end of its lifetime the link still works");

        clock.Advance(TimeSpan.FromMinutes(1));
        await user.GetAsync(url);
        user.Last!.StatusCode.ShouldBe(HttpStatusCode.Gone);
        user.LastBody.ShouldContain("This link has expired");
        user.LastBody.ShouldContain("status=expired");
    }
}
