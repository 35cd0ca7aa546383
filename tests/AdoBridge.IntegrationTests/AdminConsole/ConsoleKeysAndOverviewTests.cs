using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.IntegrationTests.AdminConsole;

/// <summary>
/// The API keys, environments and overview pages: a key is shown once and works, revoking it stops it, and the roles
/// are the API's (an admin manages its own environment's product and admin keys, never owner keys, other environments
/// or environments; a product account does not reach the console). Forms need their antiforgery token; API keys open nothing.
/// </summary>
public sealed partial class ConsoleKeysAndOverviewTests : IAsyncLifetime
{
    private AdoBridgeServer server = null!;
    private ConsoleSession owner = null!;

    public async Task InitializeAsync()
    {
        server = await AdoBridgeServer.StartAsync();
        owner = new ConsoleSession(server.BaseUrl);
        (await owner.SetUpOwnerAsync(ConsoleSession.SetupToken(server))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Owner_CreatesAKeyShownOnce_ThatWorks_ThenRevokesIt()
    {
        (await owner.PageAsync("/console/api-keys")).Status.ShouldBe(HttpStatusCode.OK);
        using var created = await owner.PostAsync("/console/api-keys", new() { ["name"] = "review-bot console", ["environment"] = "sandbox", ["role"] = "product" });
        created.StatusCode.ShouldBe(HttpStatusCode.OK);
        created.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var html = await created.Content.ReadAsStringAsync();
        html.ShouldContain("API key &#x27;review-bot console&#x27; created.");
        var key = WebUtility.HtmlDecode(SecretValue().Match(html).Groups[1].Value);
        key.ShouldStartWith("adbk_");

        using var product = server.Client(key);
        (await product.GetAsync("/v1/connections")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var (_, list) = await owner.PageAsync("/console/api-keys");
        list.ShouldContain("review-bot console");
        list.ShouldNotContain(key, customMessage: "the key is shown once");

        var id = (await (await server.Client().GetAsync("/v1/admin/api-keys")).ShouldBeJsonAsync()).GetProperty("items").EnumerateArray()
            .Single(k => k.GetProperty("name").GetString() == "review-bot console").GetProperty("id").GetString()!;
        using (var forged = await owner.PostAsync($"/console/api-keys/{id}/revoke", [], withToken: false))
        {
            forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        (await product.GetAsync("/v1/connections")).StatusCode.ShouldBe(HttpStatusCode.OK, "a post without the antiforgery token revokes nothing");
        using var revoked = await owner.PostAsync($"/console/api-keys/{id}/revoke", []);
        revoked.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await revoked.Content.ReadAsStringAsync()).ShouldContain("revoked: it stops working at once");
        await (await product.GetAsync("/v1/connections")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        var audit = await db.ConsoleAudit.Where(a => a.Action == "console.api_key_created" || a.Action == "console.api_key_revoked").ToListAsync();
        audit.Select(a => a.Action).Order().ShouldBe(["console.api_key_created", "console.api_key_revoked"]);
        audit.ShouldAllBe(a => a.Actor == ConsoleSession.OwnerName && !a.Detail!.Contains(key));
    }

    [Fact]
    public async Task CreateKey_WithoutAntiforgeryToken_OrWithAnApiKey_IsRefused()
    {
        await owner.GetAsync("/console/api-keys");
        using (var forged = await owner.PostAsync("/console/api-keys", new() { ["name"] = "forged", ["environment"] = "sandbox" }, withToken: false))
        {
            // Form binding checks the token first and answers its own 400; either way nothing is created.
            forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await forged.Content.ReadAsStringAsync()).ShouldNotContain("adbk_");
        }

        using var withKey = new ConsoleSession(server.BaseUrl);
        withKey.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdoBridgeServer.BootstrapKey);
        foreach (var path in new[] { "/console", "/console/api-keys", "/console/environments" })
        {
            using var page = await withKey.Http.GetAsync(path);
            page.StatusCode.ShouldBe(HttpStatusCode.Redirect, path);
            page.Headers.Location!.AbsolutePath.ShouldBe("/console/sign-in");
        }

        using (var post = await withKey.Http.PostAsync("/console/api-keys", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "by key", ["environment"] = "sandbox" })))
        {
            post.StatusCode.ShouldNotBe(HttpStatusCode.OK);
        }

        var names = (await (await server.Client().GetAsync("/v1/admin/api-keys")).ShouldBeJsonAsync()).GetProperty("items").EnumerateArray().Select(k => k.GetProperty("name").GetString()).ToList();
        names.ShouldNotContain("forged");
        names.ShouldNotContain("by key");
    }

    [Fact]
    public async Task Admin_ManagesItsOwnEnvironmentsKeys_ButNotOwnerKeysOtherEnvironmentsOrEnvironments()
    {
        await ConsoleSession.AddAccountAsync(server, "sandbox-admin@example.com", "admin", "sandbox");
        using var admin = new ConsoleSession(server.BaseUrl);
        (await admin.SignInAsync("sandbox-admin@example.com", ConsoleSession.OwnerPassword)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var (status, page) = await admin.PageAsync("/console/api-keys");
        status.ShouldBe(HttpStatusCode.OK);
        page.ShouldNotContain("<option value=\"owner\"", customMessage: "an admin is not offered the owner role");

        using (var ownKey = await admin.PostAsync("/console/api-keys", new() { ["name"] = "admin's product key", ["environment"] = "sandbox", ["role"] = "product" }))
        {
            ownKey.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await ownKey.Content.ReadAsStringAsync()).ShouldContain("secret-value");
        }

        using (var ownerKey = await admin.PostAsync("/console/api-keys", new() { ["name"] = "escalation", ["environment"] = "sandbox", ["role"] = "owner" }))
        {
            ownerKey.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            var html = await ownerKey.Content.ReadAsStringAsync();
            html.ShouldContain("needs the role &#x27;owner&#x27;");
            html.ShouldNotContain("secret-value");
        }

        using (var otherEnvironment = await admin.PostAsync("/console/api-keys", new() { ["name"] = "elsewhere", ["environment"] = "production", ["role"] = "product" }))
        {
            otherEnvironment.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await otherEnvironment.Content.ReadAsStringAsync()).ShouldContain("manages only that one");
        }

        // The bootstrap key has role owner: an admin may not revoke it.
        var bootstrap = (await (await server.Client().GetAsync("/v1/admin/api-keys")).ShouldBeJsonAsync()).GetProperty("items").EnumerateArray().First(k => k.GetProperty("role").GetString() == "owner").GetProperty("id").GetString()!;
        (await admin.PostAsync($"/console/api-keys/{bootstrap}/revoke", [])).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await server.Client().GetAsync("/v1/connections")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await admin.PageAsync("/console/environments")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.PostAsync("/console/environments", new() { ["id"] = "admin-made" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var names = (await (await server.Client().GetAsync("/v1/admin/api-keys")).ShouldBeJsonAsync()).GetProperty("items").EnumerateArray().Select(k => k.GetProperty("name").GetString()).ToList();
        names.ShouldContain("admin's product key");
        names.ShouldNotContain("escalation");
        names.ShouldNotContain("elsewhere");
        (await (await server.Client().GetAsync("/v1/admin/environments")).ShouldBeJsonAsync()).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ShouldNotContain("admin-made");
        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.ConsoleAudit.CountAsync(a => a.Actor == "sandbox-admin@example.com" && a.Action == "console.refused")).ShouldBe(4);
    }

    [Fact]
    public async Task ProductRoleAccount_IsRefusedAtTheDoor()
    {
        await ConsoleSession.AddAccountAsync(server, "product-person@example.com", "product", "sandbox");
        using var product = new ConsoleSession(server.BaseUrl);
        await product.SignInAsync("product-person@example.com", ConsoleSession.OwnerPassword);
        foreach (var path in new[] { "/console", "/console/api-keys", "/console/connections" })
        {
            using var page = await product.Http.GetAsync(path);
            page.StatusCode.ShouldBe(HttpStatusCode.Redirect, path);
            page.Headers.Location!.AbsolutePath.ShouldBe("/console/sign-in");
        }
    }

    [Fact]
    public async Task Owner_CreatesEnvironments_WithTheApisRules()
    {
        (await owner.PageAsync("/console/environments")).Html.ShouldContain("<code>sandbox</code>");
        using (var bad = await owner.PostAsync("/console/environments", new() { ["id"] = "Not Valid" }))
        {
            bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await bad.Content.ReadAsStringAsync()).ShouldContain("must start with a lowercase letter");
        }

        using (var made = await owner.PostAsync("/console/environments", new() { ["id"] = "staging", ["name"] = "Staging" }))
        {
            made.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await made.Content.ReadAsStringAsync()).ShouldContain("<code>staging</code>");
        }

        (await owner.PostAsync("/console/environments", new() { ["id"] = "staging" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await (await server.Client().GetAsync("/v1/admin/environments")).ShouldBeJsonAsync()).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ShouldContain("staging");
        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.ConsoleAudit.CountAsync(a => a.Action == "console.environment_created" && a.Detail!.Contains("staging"))).ShouldBe(1);
    }

    [Fact]
    public async Task Overview_IsTheLandingPage_AndShowsWhatNeedsAttention()
    {
        using var api = server.Client();
        var sandbox = await server.DetailsAsync();
        var pat = await (await api.PostAsJsonAsync("/v1/connections", new { type = "pat", endUserId = "pat-user", organization = sandbox.GetProperty("organization").GetString(), pat = sandbox.GetProperty("pat").GetString() }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var reauth = await (await api.PostAsJsonAsync("/v1/connections", new { type = "pat", endUserId = "stale-user", organization = sandbox.GetProperty("organization").GetString(), pat = sandbox.GetProperty("pat").GetString() }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var endpoint = await (await api.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "http://127.0.0.1:9/console-overview-hooks", events = new[] { "pull_request.merged" } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        await using (var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync())
        {
            var patId = pat.GetProperty("id").GetString();
            var reauthId = reauth.GetProperty("id").GetString();
            var endpointId = endpoint.GetProperty("id").GetString();
            await db.Connections.Where(c => c.Id == patId).ExecuteUpdateAsync(s => s.SetProperty(c => c.AccessTokenExpiresAt, DateTimeOffset.UtcNow.AddDays(5)));
            await db.Connections.Where(c => c.Id == reauthId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, "needs_reauth").SetProperty(c => c.StatusReason, "The PAT was revoked."));
            await db.WebhookEndpoints.Where(e => e.Id == endpointId).ExecuteUpdateAsync(s => s.SetProperty(e => e.ConsecutiveFailures, 4));
        }

        // Sign-in lands on the overview.
        using var session = new ConsoleSession(server.BaseUrl);
        using var signIn = await session.SignInAsync(ConsoleSession.OwnerPassword);
        signIn.Headers.Location!.OriginalString.ShouldBe("/console");
        var (status, html) = await session.PageAsync("/console");

        status.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain("<h1>Overview</h1>");
        html.ShouldContain(">ready</span>");
        html.ShouldContain("Delivery backlog");
        html.ShouldContain("Events per minute");
        html.ShouldContain("stale-user");
        html.ShouldContain("The PAT was revoked.");
        html.ShouldContain("http://127.0.0.1:9/console-overview-hooks");
        html.ShouldContain("4 failures in a row");
        html.ShouldContain("pat-user");
        html.ShouldContain("Figures for every environment.");
        html.ShouldContain("aria-current=\"page\">Overview</a>");
        foreach (var link in new[] { "/console/connections", "/console/webhooks", "/console/events", "/console/api-keys", "/console/environments" })
        {
            html.ShouldContain($"href=\"{link}\"");
        }
    }

    public async Task DisposeAsync()
    {
        owner.Dispose();
        await server.DisposeAsync();
    }

    [GeneratedRegex("id=\"secret-value\"[^>]*? value=\"([^\"]+)\"")]
    private static partial Regex SecretValue();
}
