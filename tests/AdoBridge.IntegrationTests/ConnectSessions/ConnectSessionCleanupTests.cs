using System.Net;
using AdoBridge.ConnectSessions;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace AdoBridge.IntegrationTests.ConnectSessions;

/// <summary>Connect sessions, with their sealed flow data, are deleted once their link has expired and the grace period has passed.</summary>
public sealed class ConnectSessionCleanupTests
{
    [Fact]
    public async Task AbandonedSession_IsDeletedAfterLifetimePlusGrace_AndAYoungerOneIsKept()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await AdoBridgeServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["AdoBridge:ConnectSessionLifetime"] = "00:30:00",
                ["AdoBridge:ConnectSessions:CleanupGracePeriod"] = "01:00:00",
                ["AdoBridge:ConnectSessions:CleanupInterval"] = "00:05:00",
            },
            configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        using var api = server.Client();

        // Abandoned after pressing the sign-in button: its sealed flow (PKCE verifier) is stored.
        var abandoned = await api.CreateConnectSessionAsync(new { endUserId = "gone-away" });
        var abandonedUrl = abandoned.GetProperty("url").GetString()!;
        using (var user = new BrowserlessUser())
        {
            await user.PostFormAsync(abandonedUrl + "/start", [new("app", "sandbox")]);
            user.Last!.StatusCode.ShouldBe(HttpStatusCode.Redirect, user.LastBody);
        }

        (await SessionAsync(server, abandoned.GetProperty("id").GetString()!))!.Flow.ShouldNotBeNull();
        clock.Advance(TimeSpan.FromMinutes(20));
        var younger = await api.CreateConnectSessionAsync(new { endUserId = "still-deciding" });

        // 30 min lifetime + 1 h grace after the first link was made; the younger one has 20 minutes of grace left.
        clock.Advance(TimeSpan.FromMinutes(71));
        for (var i = 0; i < 100 && await SessionAsync(server, abandoned.GetProperty("id").GetString()!) is not null; i++)
        {
            await Task.Delay(50);
        }

        (await SessionAsync(server, abandoned.GetProperty("id").GetString()!)).ShouldBeNull();
        (await SessionAsync(server, younger.GetProperty("id").GetString()!)).ShouldNotBeNull();
        using var late = new BrowserlessUser();
        (await late.GetAsync(abandonedUrl)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        clock.Advance(TimeSpan.FromMinutes(21));
        for (var i = 0; i < 100 && await SessionAsync(server, younger.GetProperty("id").GetString()!) is not null; i++)
        {
            await Task.Delay(50);
        }

        (await SessionAsync(server, younger.GetProperty("id").GetString()!)).ShouldBeNull();
    }

    [Fact]
    public async Task SessionWithinItsGracePeriod_IsKept()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await AdoBridgeServer.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        using var api = server.Client();
        var session = await api.CreateConnectSessionAsync(new { endUserId = "slow" });

        clock.Advance(TimeSpan.FromMinutes(30 + 59));

        (await server.Service<ConnectSessionCleanup>().RunOnceAsync(CancellationToken.None)).ShouldBe(0);
        (await SessionAsync(server, session.GetProperty("id").GetString()!)).ShouldNotBeNull();
    }

    private static async Task<ConnectSessionEntity?> SessionAsync(AdoBridgeServer server, string id)
    {
        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        return await db.ConnectSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id);
    }
}
