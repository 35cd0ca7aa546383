using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.Emulator;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Storage;
using AdoBridge.IntegrationTests.Tokens;

namespace AdoBridge.IntegrationTests.Connections;

/// <summary>Two AdoBridge instances behind one PostgreSQL and one (out-of-instance) emulator, as behind a load balancer.</summary>
public sealed class MultiInstanceTests
{
    [Fact]
    public async Task SingleFlight_TwoInstancesOnOnePostgres_OneTokenRequest()
    {
        const string adminToken = "multi-instance-emulator-admin-token";
        await using var emulator = await EmulatorHost.StartAsync(0, o => o.AdminToken = adminToken);
        var settings = await StorageEngine.SettingsAsync(StorageEngine.Postgres);
        settings["ADOBRIDGE_MASTER_KEY"] = Convert.ToBase64String(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());
        settings["AdoBridge:Sandbox"] = "on";
        settings["AdoBridge:EmulatorUrl"] = emulator.BaseUrl.ToString();
        settings["AdoBridge:EmulatorAdminToken"] = adminToken;

        await using var a = await AdoBridgeServer.StartAsync(settings);
        settings["AdoBridge:SandboxRedirectUris:0"] = new Uri(a.BaseUrl, "/connect/callback").ToString();
        await using var b = await AdoBridgeServer.StartAsync(settings);
        var id = await a.ConnectWithMicrosoftAsync("shared-user");
        await TokenRefreshTests.ExpireAccessTokenAsync(a, id);
        using var admin = new HttpClient { BaseAddress = new Uri(emulator.BaseUrl, "_admin/") };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", adminToken);
        var clientId = (await (await a.Client().GetAsync("/v1/admin/apps/sandbox")).ShouldBeJsonAsync()).GetProperty("clientId").GetString()!;
        var before = await TokenRefreshTests.RefreshCountAsync(admin, clientId);

        using var clientA = a.Client();
        using var clientB = b.Client();
        var calls = Enumerable.Range(0, 200).Select(i => (i % 2 == 0 ? clientA : clientB).PostAsync($"/v1/connections/{id}/access-token", null));
        var responses = await Task.WhenAll(calls);
        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        var tokens = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()));
        tokens.Distinct().Count().ShouldBe(1);
        (await TokenRefreshTests.RefreshCountAsync(admin, clientId) - before).ShouldBe(1);
    }
}
