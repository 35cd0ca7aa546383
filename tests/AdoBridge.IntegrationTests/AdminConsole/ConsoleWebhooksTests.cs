using System.Net;
using System.Text.RegularExpressions;
using AdoBridge.ApiKeys;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Webhooks;
using AdoBridge.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.IntegrationTests.AdminConsole;

/// <summary>
/// The console's webhook endpoints page against a real receiver: create (secret shown once), refusals shown on the page,
/// send a test and see its health, disable and enable, rotate, edit; every action audited, every form guarded.
/// </summary>
public sealed partial class ConsoleWebhooksTests : IAsyncLifetime
{
    private AdoBridgeServer server = null!;
    private ProductReceiver receiver = null!;
    private ConsoleSession owner = null!;

    public async Task InitializeAsync()
    {
        receiver = await ProductReceiver.StartAsync();
        server = await WebhookServers.StartAsync();
        owner = new ConsoleSession(server.BaseUrl);
        (await owner.SetUpOwnerAsync(ConsoleSession.SetupToken(server))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Create_ShowsTheSecretOnce_AndTheTestEventArrives_AndHealthShowsIt()
    {
        (await owner.GetAsync("/console/webhooks")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var created = await owner.PostAsync("/console/webhooks", new() { ["environment"] = "sandbox", ["url"] = receiver.Url("console-ok").ToString(), ["events"] = "pull_request.*", ["description"] = "console test" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var html = await created.Content.ReadAsStringAsync();
        // Razor encodes '+' in the secret as &#x2B;: read it as the browser shows it.
        var secret = WebUtility.HtmlDecode(Secret().Match(html).Groups[1].Value);
        secret.ShouldStartWith("whsec_");
        var id = EndpointId().Match(html).Groups[1].Value;

        // The secret is never shown again.
        var page = await owner.GetAsync($"/console/webhooks/{id}?environment=sandbox");
        WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()).ShouldNotContain(secret);
        (await (await owner.GetAsync("/console/webhooks")).Content.ReadAsStringAsync()).ShouldContain("console test");

        using var tested = await owner.PostAsync($"/console/webhooks/{id}/test", new() { ["environment"] = "sandbox" });
        tested.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await tested.Content.ReadAsStringAsync()).ShouldContain("webhook.test");
        var receipt = await receiver.NextAsync("console-ok");
        receipt.ShouldVerifyWith(secret);
        receipt.Json.GetProperty("type").GetString().ShouldBe("webhook.test");

        // Health: the attempt is counted once it is recorded.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string detail;
        do
        {
            await Task.Delay(100);
            detail = await (await owner.GetAsync($"/console/webhooks/{id}?environment=sandbox")).Content.ReadAsStringAsync();
        }
        while (!detail.Contains("100% of 1 attempt", StringComparison.Ordinal) && DateTime.UtcNow < deadline);
        detail.ShouldContain("100% of 1 attempt");
        detail.ShouldContain("succeeded (200)");

        await AuditShouldHoldAsync("webhook_endpoint.created", id);
        await AuditShouldHoldAsync("webhook_endpoint.test_sent", id);
    }

    [Fact]
    public async Task BadInput_ShowsThePageWithTheApisMessage_AndCreatesNothing()
    {
        await owner.GetAsync("/console/webhooks");
        using var badUrl = await owner.PostAsync("/console/webhooks", new() { ["environment"] = "sandbox", ["url"] = "not a url", ["events"] = "*" });
        badUrl.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await badUrl.Content.ReadAsStringAsync();
        html.ShouldContain("is not an absolute http(s) URL");
        html.ShouldContain("<h1>Webhook endpoints</h1>");
        html.ShouldContain("value=\"not a url\"");

        await owner.GetAsync("/console/webhooks");
        using var badEvents = await owner.PostAsync("/console/webhooks", new() { ["environment"] = "sandbox", ["url"] = receiver.Url("x").ToString(), ["events"] = "no_such.event" });
        badEvents.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badEvents.Content.ReadAsStringAsync()).ShouldContain("role=\"alert\"");

        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.WebhookEndpoints.CountAsync(e => e.Url.Contains("/x"))).ShouldBe(0);
    }

    [Fact]
    public async Task FormsWithoutAntiforgeryToken_AreRefused()
    {
        var id = await CreateAsync("console-forged");
        foreach (var path in new[] { "/console/webhooks", $"/console/webhooks/{id}", $"/console/webhooks/{id}/status", $"/console/webhooks/{id}/rotate-secret", $"/console/webhooks/{id}/test" })
        {
            using var refused = await owner.PostAsync(path, new() { ["environment"] = "sandbox", ["url"] = receiver.Url("refused-post").ToString(), ["events"] = "*", ["status"] = "disabled" }, withToken: false);
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest, path);
            (await refused.Content.ReadAsStringAsync()).ShouldContain("antiforgery_failed");
        }

        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.WebhookEndpoints.SingleAsync(e => e.Id == id)).Status.ShouldBe("enabled");
        (await db.WebhookEndpoints.CountAsync(e => e.Url.Contains("refused-post"))).ShouldBe(0);
    }

    [Fact]
    public async Task Disable_Rotate_Edit_Enable_GoThroughTheSameRules()
    {
        var id = await CreateAsync("console-lifecycle");

        using var disabled = await owner.PostAsync($"/console/webhooks/{id}/status", new() { ["environment"] = "sandbox", ["status"] = "disabled" });
        disabled.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await disabled.Content.ReadAsStringAsync()).ShouldContain("The endpoint is disabled");
        await owner.GetAsync($"/console/webhooks/{id}?environment=sandbox");
        using var testWhileDisabled = await owner.PostAsync($"/console/webhooks/{id}/test", new() { ["environment"] = "sandbox" });
        testWhileDisabled.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await testWhileDisabled.Content.ReadAsStringAsync()).ShouldContain("enable it first");

        await owner.GetAsync($"/console/webhooks/{id}?environment=sandbox");
        using var rotated = await owner.PostAsync($"/console/webhooks/{id}/rotate-secret", new() { ["environment"] = "sandbox" });
        rotated.StatusCode.ShouldBe(HttpStatusCode.OK);
        var rotatedHtml = await rotated.Content.ReadAsStringAsync();
        Secret().Match(rotatedHtml).Groups[1].Value.ShouldStartWith("whsec_");
        rotatedHtml.ShouldContain("The old one keeps signing too");

        await owner.GetAsync($"/console/webhooks/{id}?environment=sandbox");
        using var badEdit = await owner.PostAsync($"/console/webhooks/{id}", new() { ["environment"] = "sandbox", ["url"] = "ftp://example.com/x", ["events"] = "*" });
        badEdit.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badEdit.Content.ReadAsStringAsync()).ShouldContain("is not an absolute http(s) URL");

        using var edited = await owner.PostAsync($"/console/webhooks/{id}", new() { ["environment"] = "sandbox", ["url"] = receiver.Url("console-edited").ToString(), ["events"] = "work_item.*, build.*", ["description"] = "edited" });
        edited.StatusCode.ShouldBe(HttpStatusCode.OK);

        await owner.GetAsync($"/console/webhooks/{id}?environment=sandbox");
        (await owner.PostAsync($"/console/webhooks/{id}/status", new() { ["environment"] = "sandbox", ["status"] = "enabled" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        var row = await db.WebhookEndpoints.SingleAsync(e => e.Id == id);
        row.Status.ShouldBe("enabled");
        row.Url.ShouldEndWith("/console-edited");
        row.Description.ShouldBe("edited");
        row.EventFilters.ShouldContain("work_item.*");
        row.PreviousSecret.ShouldNotBeNull();
        foreach (var action in new[] { "webhook_endpoint.status_changed", "webhook_endpoint.secret_rotated", "webhook_endpoint.updated" })
        {
            await AuditShouldHoldAsync(action, id);
        }
    }

    [Fact]
    public async Task EnvironmentAdmin_SeesOnlyItsEnvironment_AndCannotActOnAnother()
    {
        var id = await CreateAsync("console-other-env");
        using var api = server.Client();
        (await api.PostAsync("/v1/admin/environments", System.Net.Http.Json.JsonContent.Create(new { id = "staging" }))).EnsureSuccessStatusCode();
        await using (var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync())
        {
            var user = new ConsoleUserEntity { Id = "cusr_staging", UserName = "staging-admin@example.com", PasswordHash = "", Role = ApiKeyRoles.Admin, EnvironmentId = "staging", CreatedAt = DateTimeOffset.UtcNow };
            user.PasswordHash = new PasswordHasher<ConsoleUserEntity>().HashPassword(user, ConsoleSession.OwnerPassword);
            db.ConsoleUsers.Add(user);
            await db.SaveChangesAsync();
        }

        using var admin = new ConsoleSession(server.BaseUrl);
        await admin.GetAsync("/console/sign-in");
        (await admin.PostAsync("/console/sign-in", new() { ["userName"] = "staging-admin@example.com", ["password"] = ConsoleSession.OwnerPassword })).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var list = await (await admin.GetAsync("/console/webhooks?environment=sandbox")).Content.ReadAsStringAsync();
        list.ShouldNotContain("console-other-env");
        (await admin.GetAsync($"/console/webhooks/{id}?environment=sandbox")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var disable = await admin.PostAsync($"/console/webhooks/{id}/status", new() { ["environment"] = "sandbox", ["status"] = "disabled" });
        disable.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.GetAsync($"/console/events?environment=sandbox")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await using var check = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await check.WebhookEndpoints.SingleAsync(e => e.Id == id)).Status.ShouldBe("enabled");
    }

    private async Task<string> CreateAsync(string path)
    {
        await owner.GetAsync("/console/webhooks");
        using var created = await owner.PostAsync("/console/webhooks", new() { ["environment"] = "sandbox", ["url"] = receiver.Url(path).ToString(), ["events"] = "*" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        return EndpointId().Match(await created.Content.ReadAsStringAsync()).Groups[1].Value;
    }

    private async Task AuditShouldHoldAsync(string action, string about)
    {
        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.ConsoleAudit.CountAsync(a => a.Action == action && a.Actor == ConsoleSession.OwnerName && a.Detail!.Contains(about))).ShouldBeGreaterThanOrEqualTo(1, action);
    }

    public async Task DisposeAsync()
    {
        owner.Dispose();
        await server.DisposeAsync();
        await receiver.DisposeAsync();
    }

    [GeneratedRegex("id=\"secret\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex Secret();

    [GeneratedRegex("<code>(whe_[^<]+)</code>")]
    private static partial Regex EndpointId();
}
