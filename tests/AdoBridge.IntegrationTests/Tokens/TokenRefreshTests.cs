using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AdoBridge.IntegrationTests.Tokens;

public sealed class TokenRefreshTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private AdoBridgeServer Server => fixture.Server;

    private async Task<string> SandboxClientIdAsync()
    {
        using var api = Server.Client();
        return (await (await api.GetAsync("/v1/admin/apps/sandbox")).ShouldBeJsonAsync()).GetProperty("clientId").GetString()!;
    }

    /// <summary>Makes AdoBridge believe the connection's access token has expired, as it would an hour after connecting.</summary>
    internal static async Task ExpireAccessTokenAsync(AdoBridgeServer server, string id)
    {
        var contexts = server.Service<IDbContextFactory<AdoBridgeDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var past = DateTimeOffset.UtcNow.AddMinutes(-1);
        await db.Connections.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.AccessTokenExpiresAt, past));
    }

    [Fact]
    public async Task Refresh_RotatesTheRefreshTokenAndKeepsTheConnectionActive()
    {
        var id = await Server.ConnectWithMicrosoftAsync("rotator");
        var contexts = Server.Service<IDbContextFactory<AdoBridgeDbContext>>();
        string before;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            before = (await db.Connections.SingleAsync(c => c.Id == id)).RefreshToken!;
        }

        using var api = Server.Client();
        var refreshed = await (await api.PostAsync($"/v1/connections/{id}/refresh", null)).ShouldBeJsonAsync();

        refreshed.GetProperty("status").GetString().ShouldBe("active");
        await using var after = await contexts.CreateDbContextAsync();
        (await after.Connections.SingleAsync(c => c.Id == id)).RefreshToken.ShouldNotBe(before);
    }

    [Fact]
    public async Task RevokedGrant_MovesConnectionToNeedsReauth_AndRecordsTheEvent()
    {
        var id = await Server.ConnectWithMicrosoftAsync("revoked-user", upn: "bob@fabrikam.onmicrosoft.com");
        using var emulator = await Server.EmulatorAdminAsync();
        (await emulator.PostAsJsonAsync("grants/revoke", new { userPrincipalName = "bob@fabrikam.onmicrosoft.com", clientId = await SandboxClientIdAsync() })).EnsureSuccessStatusCode();
        using var api = Server.Client();

        var problem = await (await api.PostAsync($"/v1/connections/{id}/refresh", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "connection_needs_reauth");

        problem.GetProperty("azureErrorCode").GetString().ShouldBe("AADSTS50173");
        var connection = await (await api.GetAsync($"/v1/connections/{id}")).ShouldBeJsonAsync();
        connection.GetProperty("status").GetString().ShouldBe("needs_reauth");
        connection.GetProperty("errorCode").GetString().ShouldBe("AADSTS50173");
        var events = await (await api.GetAsync($"/v1/events?connectionId={id}&type=connection.needs_reauth")).ShouldBeJsonAsync();
        events.GetProperty("items").GetArrayLength().ShouldBe(1);
        await (await api.PostAsync($"/v1/connections/{id}/access-token", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "connection_needs_reauth");

        // Reconnecting brings the same connection back.
        (await Server.ConnectWithMicrosoftAsync("revoked-user", upn: "bob@fabrikam.onmicrosoft.com", reconnect: id)).ShouldBe(id);
        (await (await api.GetAsync($"/v1/connections/{id}")).ShouldBeJsonAsync()).GetProperty("status").GetString().ShouldBe("active");
    }

    [Fact]
    public async Task TokenEndpoint503_KeepsTheConnectionAndItsValidToken()
    {
        var id = await Server.ConnectWithMicrosoftAsync("flaky-idp");
        using var emulator = await Server.EmulatorAdminAsync();
        (await emulator.PostAsJsonAsync("faults", new { pathPrefix = "/login.microsoftonline.com/", method = "POST", statusCode = 503, count = 5 })).EnsureSuccessStatusCode();
        using var api = Server.Client();

        try
        {
            var response = await api.PostAsync($"/v1/connections/{id}/refresh", null);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var connection = await (await api.GetAsync($"/v1/connections/{id}")).ShouldBeJsonAsync();
            connection.GetProperty("status").GetString().ShouldBe("active");
            (await api.PostAsync($"/v1/connections/{id}/access-token", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
            var events = await (await api.GetAsync($"/v1/events?connectionId={id}&type=connection.needs_reauth")).ShouldBeJsonAsync();
            events.GetProperty("items").GetArrayLength().ShouldBe(0);
        }
        finally
        {
            await emulator.DeleteAsync("faults");
        }
    }

    [Fact]
    public async Task ExpiredToken_TokenEndpointDown_Answers503AndStaysActive()
    {
        var id = await Server.ConnectWithMicrosoftAsync("expired-and-down");
        await ExpireAccessTokenAsync(Server, id);
        using var emulator = await Server.EmulatorAdminAsync();
        (await emulator.PostAsJsonAsync("faults", new { pathPrefix = "/login.microsoftonline.com/", method = "POST", statusCode = 503, count = 5 })).EnsureSuccessStatusCode();
        using var api = Server.Client();
        try
        {
            await (await api.PostAsync($"/v1/connections/{id}/access-token", null)).ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "token_refresh_failed");
            (await (await api.GetAsync($"/v1/connections/{id}")).ShouldBeJsonAsync()).GetProperty("status").GetString().ShouldBe("active");
        }
        finally
        {
            await emulator.DeleteAsync("faults");
        }
    }

    [Fact]
    public async Task SingleFlight_200ConcurrentCallers_OneTokenRequest()
    {
        var id = await Server.ConnectWithMicrosoftAsync("crowd");
        await ExpireAccessTokenAsync(Server, id);
        using var emulator = await Server.EmulatorAdminAsync();
        var clientId = await SandboxClientIdAsync();
        var before = await RefreshCountAsync(emulator, clientId);
        using var api = Server.Client();

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => api.PostAsync($"/v1/connections/{id}/access-token", null)));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        var tokens = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()));
        tokens.Distinct().Count().ShouldBe(1);
        (await RefreshCountAsync(emulator, clientId) - before).ShouldBe(1);
    }

    [Fact]
    public async Task Refresher_RenewsDueConnectionsInOnePass_AndMarksRevokedOnes()
    {
        var healthy = await Server.ConnectWithMicrosoftAsync("due-healthy");
        var revoked = await Server.ConnectWithMicrosoftAsync("due-revoked", upn: "carol@contoso.onmicrosoft.com");
        using var emulator = await Server.EmulatorAdminAsync();
        (await emulator.PostAsJsonAsync("grants/revoke", new { userPrincipalName = "carol@contoso.onmicrosoft.com", clientId = await SandboxClientIdAsync() })).EnsureSuccessStatusCode();
        var contexts = Server.Service<IDbContextFactory<AdoBridgeDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            var soon = DateTimeOffset.UtcNow.AddMinutes(2);
            var due = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.Connections.Where(c => c.Id == healthy || c.Id == revoked)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.AccessTokenExpiresAt, soon).SetProperty(c => c.NextRefreshAt, due));
        }

        await Server.Service<AdoBridge.Tokens.TokenRefresher>().RunOnceAsync(CancellationToken.None);

        using var api = Server.Client();
        var renewed = await (await api.GetAsync($"/v1/connections/{healthy}")).ShouldBeJsonAsync();
        renewed.GetProperty("status").GetString().ShouldBe("active");
        renewed.GetProperty("accessTokenExpiresAt").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(30));
        var marked = await (await api.GetAsync($"/v1/connections/{revoked}")).ShouldBeJsonAsync();
        marked.GetProperty("status").GetString().ShouldBe("needs_reauth");
        (await api.GetStringAsync($"/v1/events?connectionId={revoked}&type=connection.needs_reauth")).ShouldContain("AADSTS50173");
    }

    [Fact]
    public async Task Refresher_GoesAgainAtOnce_WhileItClaimsFullPages()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await AdoBridgeServer.StartAsync(
            new Dictionary<string, string?> { ["Tokens:RefresherBatchSize"] = "2" },
            configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await server.ConnectWithMicrosoftAsync($"page-{i}"));
        }

        var contexts = server.Service<IDbContextFactory<AdoBridgeDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            await db.Connections.Where(c => ids.Contains(c.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.AccessTokenExpiresAt, clock.GetUtcNow().AddMinutes(2)).SetProperty(c => c.NextRefreshAt, clock.GetUtcNow().AddMinutes(-1)));
        }

        // One interval passes: the pass claims a full page of two, so it goes again without waiting for the clock,
        // until a page comes back short. Five due connections take three passes and one tick of the clock.
        clock.Advance(TimeSpan.FromSeconds(10));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        int renewed;
        do
        {
            await Task.Delay(50);
            await using var db = await contexts.CreateDbContextAsync();
            renewed = await db.Connections.CountAsync(c => ids.Contains(c.Id) && c.NextRefreshAt > clock.GetUtcNow());
        }
        while (renewed < ids.Count && DateTime.UtcNow < deadline);

        renewed.ShouldBe(ids.Count);
    }

    internal static async Task<int> RefreshCountAsync(HttpClient emulator, string clientId)
    {
        var counts = await emulator.GetFromJsonAsync<JsonElement>("counts");
        return counts.GetProperty("tokenRequestsByGrantType").TryGetProperty("refresh_token", out var n) ? n.GetInt32() : 0;
    }
}
