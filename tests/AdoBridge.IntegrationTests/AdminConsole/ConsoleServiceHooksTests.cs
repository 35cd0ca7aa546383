using System.Net;
using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Webhooks;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.IntegrationTests.AdminConsole;

/// <summary>
/// The console's service-hook health against the emulator: a subscription silent for longer than the configured time
/// raises the alarm, a hook put on probation shows after a check, and one click repairs it (audited).
/// </summary>
public sealed class ConsoleServiceHooksTests : IAsyncLifetime
{
    private AdoBridgeServer server = null!;
    private ConsoleSession owner = null!;
    private string connectionId = string.Empty;

    public async Task InitializeAsync()
    {
        server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?>
        {
            ["AdoBridge:ServiceHooks:HealthCheckInterval"] = "00:00:00",
            ["AdoBridge:ServiceHooks:SilenceAlarmAfter"] = "06:00:00",
        });
        connectionId = await server.ConnectWithMicrosoftAsync("console-hooks-user");
        owner = new ConsoleSession(server.BaseUrl);
        (await owner.SetUpOwnerAsync(ConsoleSession.SetupToken(server))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task SilentSubscription_RaisesTheAlarm_AndProbationIsRepairedInOneClick()
    {
        using var api = server.Client();
        var quiet = await SubscribeAsync(api, "workitem.created");
        var healthy = await SubscribeAsync(api, "workitem.deleted");

        var page = await (await owner.GetAsync("/console/service-hooks?environment=sandbox")).Content.ReadAsStringAsync();
        page.ShouldContain(quiet);
        page.ShouldContain("6 hours");
        page.ShouldContain("no event yet");
        page.ShouldNotContain("badge-silent\"");

        // The quiet one received events until seven hours ago; the healthy one an hour ago.
        await using (var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync())
        {
            var now = DateTimeOffset.UtcNow;
            await db.ServiceHooks.Where(h => h.SubscriptionId == quiet).ExecuteUpdateAsync(s => s.SetProperty(h => h.LastEventAt, now.AddHours(-7)));
            await db.ServiceHooks.Where(h => h.SubscriptionId == healthy).ExecuteUpdateAsync(s => s.SetProperty(h => h.LastEventAt, now.AddHours(-1)));
        }

        var attention = await (await owner.GetAsync("/console/service-hooks?environment=sandbox&attention=1")).Content.ReadAsStringAsync();
        attention.ShouldContain(quiet);
        attention.ShouldContain("badge-silent\"");
        attention.ShouldNotContain(healthy);

        // Azure DevOps puts the healthy one's hook on probation; a check sees it, and the repair button recreates it.
        using var emulator = await server.EmulatorAdminAsync();
        var azureId = (await (await api.GetAsync($"/v1/connections/{connectionId}/subscriptions/{healthy}")).ShouldBeJsonAsync())
            .GetProperty("hooks")[0].GetProperty("azureSubscriptionId").GetString();
        (await emulator.PostAsJsonAsync($"hooks/subscriptions/{azureId}/status", new { status = "onProbation" })).EnsureSuccessStatusCode();

        using var repaired = await owner.PostAsync($"/console/service-hooks/{healthy}/repair", new() { ["environment"] = "sandbox" });
        repaired.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await repaired.Content.ReadAsStringAsync()).ShouldContain("was onProbation, recreated");
        await using (var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync())
        {
            (await db.ConsoleAudit.CountAsync(a => a.Action == "subscription.checked" && a.Detail!.Contains(healthy))).ShouldBe(1);
            (await db.ServiceHooks.SingleAsync(h => h.SubscriptionId == healthy)).AdoStatus.ShouldBe("enabled");
        }

        await owner.GetAsync("/console/service-hooks");
        using var missing = await owner.PostAsync("/console/service-hooks/sub_nope/repair", new() { ["environment"] = "sandbox" });
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await missing.Content.ReadAsStringAsync()).ShouldContain("There is no subscription");
        using var forged = await owner.PostAsync($"/console/service-hooks/{healthy}/repair", new() { ["environment"] = "sandbox" }, withToken: false);
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    private async Task<string> SubscribeAsync(HttpClient api, string eventType)
    {
        var created = await (await api.PostAsJsonAsync($"/v1/connections/{connectionId}/subscriptions",
            new { organization = "fabrikam", project = ServiceHooksFixture.Project, events = new[] { eventType } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    public async Task DisposeAsync()
    {
        owner.Dispose();
        await server.DisposeAsync();
    }
}
