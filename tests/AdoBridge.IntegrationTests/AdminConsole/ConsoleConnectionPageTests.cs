using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.IntegrationTests.AdminConsole;

/// <summary>
/// A connection's console page and its actions against the sandbox: what the page shows, the needs-reauth badge and a
/// reconnect link (shown once) that brings the same connection back, check-and-repair of a hook on probation, and delete
/// with its confirmation. Each action is in the console audit; an admin of another environment reaches none of it.
/// </summary>
public sealed partial class ConsoleConnectionPageTests : IAsyncLifetime
{
    private const string Project = "Fabrikam-Fiber-Git";
    private AdoBridgeServer server = null!;
    private ConsoleSession owner = null!;

    public async Task InitializeAsync()
    {
        // Health checks run only when a test asks, so they cannot race the check-and-repair test.
        server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?> { ["AdoBridge:ServiceHooks:HealthCheckInterval"] = "00:00:00" });
        owner = new ConsoleSession(server.BaseUrl);
        (await owner.SetUpOwnerAsync(ConsoleSession.SetupToken(server))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task ConnectionPage_ShowsOrganisationsTokenSubscriptionsProxyCountersAndEvents()
    {
        var id = await server.ConnectWithMicrosoftAsync("page-user", organizations: ["fabrikam", "fabrikam-labs"]);
        using var api = server.Client();
        var subscription = await (await api.PostAsJsonAsync($"/v1/connections/{id}/subscriptions", new { organization = "fabrikam", project = Project, events = new[] { "workitem.created" } }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        (await api.GetAsync($"/v1/proxy/{id}/fabrikam/_apis/projects?api-version=7.1")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var (status, html) = await owner.PageAsync($"/console/connections/{id}");

        status.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain("<li>fabrikam</li>");
        html.ShouldContain("<li>fabrikam-labs</li>");
        html.ShouldContain("Access token expires</dt><dd>20");
        html.ShouldContain("Last refresh</dt>");
        html.ShouldContain(subscription.GetProperty("id").GetString()!);
        html.ShouldContain("fabrikam / " + Project);
        html.ShouldContain("work_item.created");
        html.ShouldContain("Check and repair");
        html.ShouldContain("<dt>Requests</dt><dd>1</dd>");
        html.ShouldContain("connection.created");
        html.ShouldNotContain("secret-value", customMessage: "no secret on a plain view");

        // The list links to the page.
        (await owner.PageAsync("/console/connections?search=page-user")).Html.ShouldContain($"href=\"/console/connections/{id}\"");
        (await owner.PageAsync("/console/connections/conn_nope")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task NeedsReauth_ShowsTheBadge_AndTheReconnectLinkIsShownOnce_AndBringsTheSameConnectionBack()
    {
        const string upn = "bob@fabrikam.onmicrosoft.com";
        var id = await server.ConnectWithMicrosoftAsync("reauth-user", upn: upn);
        using var emulator = await server.EmulatorAdminAsync();
        using var api = server.Client();
        var clientId = (await (await api.GetAsync("/v1/admin/apps/sandbox")).ShouldBeJsonAsync()).GetProperty("clientId").GetString();
        (await emulator.PostAsJsonAsync("grants/revoke", new { userPrincipalName = upn, clientId })).EnsureSuccessStatusCode();
        await (await api.PostAsync($"/v1/connections/{id}/refresh", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "connection_needs_reauth");

        var list = (await owner.PageAsync("/console/connections?search=reauth-user")).Html;
        list.ShouldContain("badge-needs_reauth");
        list.ShouldContain("needs re-authorisation");
        list.ShouldContain($"href=\"/console/connections/{id}#reconnect\"");

        using var created = await owner.PostAsync($"/console/connections/{id}/reconnect-link", []);
        created.StatusCode.ShouldBe(HttpStatusCode.OK);
        created.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var html = await created.Content.ReadAsStringAsync();
        var link = WebUtility.HtmlDecode(SecretValue().Match(html).Groups[1].Value);
        link.ShouldContain("/connect/");
        (await owner.PageAsync($"/console/connections/{id}")).Html.ShouldNotContain(link, customMessage: "the link is shown once");

        // The end user follows the link: Microsoft's sign-in and consent again, the organisation picker, and the same connection is active.
        using var user = new BrowserlessUser();
        await user.SignInAsync(link, upn);
        (await user.GetAsync(user.Location(link))).StatusCode.ShouldBe(HttpStatusCode.OK, user.LastBody);
        await user.PostFormAsync(link + "/organizations", [new("organizations", "fabrikam")]);
        (await (await api.GetAsync($"/v1/connections/{id}")).ShouldBeJsonAsync()).GetProperty("status").GetString().ShouldBe("active");

        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        var audit = await db.ConsoleAudit.SingleAsync(a => a.Action == "console.reconnect_link_created" && a.Detail!.Contains(id));
        audit.Actor.ShouldBe(ConsoleSession.OwnerName);
        audit.Detail!.ShouldNotContain(link.Split('/').Last(), customMessage: "the audit never holds the link's token");
    }

    [Fact]
    public async Task CheckAndRepair_RepairsAHookOnProbation_AndIsAudited()
    {
        var id = await server.ConnectWithMicrosoftAsync("repair-user");
        using var api = server.Client();
        var subscription = await (await api.PostAsJsonAsync($"/v1/connections/{id}/subscriptions", new { organization = "fabrikam", project = Project, events = new[] { "workitem.updated" } }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var subscriptionId = subscription.GetProperty("id").GetString()!;
        var azureId = subscription.GetProperty("hooks")[0].GetProperty("azureSubscriptionId").GetString()!;
        using var emulator = await server.EmulatorAdminAsync();
        (await emulator.PostAsJsonAsync($"hooks/subscriptions/{azureId}/status", new { status = "onProbation" })).EnsureSuccessStatusCode();

        await owner.GetAsync($"/console/connections/{id}");
        using var response = await owner.PostAsync($"/console/connections/{id}/subscriptions/{subscriptionId}/check", []);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain($"Subscription {subscriptionId} checked: active");
        html.ShouldContain("onProbation");
        html.ShouldContain("Events may have been missed since");
        var after = await (await api.GetAsync($"/v1/connections/{id}/subscriptions/{subscriptionId}")).ShouldBeJsonAsync();
        after.GetProperty("hooks")[0].GetProperty("azureSubscriptionId").GetString().ShouldNotBe(azureId);
        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.ConsoleAudit.CountAsync(a => a.Action == "console.subscription_checked" && a.Detail!.Contains(subscriptionId))).ShouldBe(1);
    }

    [Fact]
    public async Task Delete_AsksFirst_NeedsTheAntiforgeryToken_AndDeletesAsTheApiDoes()
    {
        var id = await server.ConnectWithMicrosoftAsync("delete-user");
        using var api = server.Client();

        var (status, confirm) = await owner.PageAsync($"/console/connections/{id}/delete");
        status.ShouldBe(HttpStatusCode.OK);
        confirm.ShouldContain("This cannot be undone.");
        using (var forged = await owner.PostAsync($"/console/connections/{id}/delete", [], withToken: false))
        {
            forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await forged.Content.ReadAsStringAsync()).ShouldContain("antiforgery_failed");
        }

        (await api.GetAsync($"/v1/connections/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK, "a refused post deletes nothing");

        using var deleted = await owner.PostAsync($"/console/connections/{id}/delete", []);
        deleted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        deleted.Headers.Location!.OriginalString.ShouldBe($"/console/connections?deleted={id}");
        (await owner.PageAsync(deleted.Headers.Location.OriginalString)).Html.ShouldContain($"Connection {id} deleted");
        await (await api.GetAsync($"/v1/connections/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "connection_not_found");
        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.ConsoleAudit.CountAsync(a => a.Action == "console.connection_deleted" && a.Detail!.Contains(id))).ShouldBe(1);
        (await db.AuditLog.CountAsync(a => a.Action == "connection.deleted" && a.Actor == "console:" + ConsoleSession.OwnerName)).ShouldBe(1);
    }

    [Fact]
    public async Task AnAdminOfAnotherEnvironment_NeitherSeesNorChangesTheConnection()
    {
        var id = await server.ConnectWithMicrosoftAsync("other-env-user");
        using (var made = await server.Client().PostAsJsonAsync("/v1/admin/environments", new { id = "staging" }))
        {
            made.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        await ConsoleSession.AddAccountAsync(server, "staging-admin@example.com", "admin", "staging");
        using var admin = new ConsoleSession(server.BaseUrl);
        (await admin.SignInAsync("staging-admin@example.com", ConsoleSession.OwnerPassword)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await admin.PageAsync($"/console/connections/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await admin.PostAsync($"/console/connections/{id}/reconnect-link", [])).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.PostAsync($"/console/connections/{id}/delete", [])).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var api = server.Client();
        (await api.GetAsync($"/v1/connections/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    public async Task DisposeAsync()
    {
        owner.Dispose();
        await server.DisposeAsync();
    }

    [GeneratedRegex("id=\"secret-value\"[^>]*? value=\"([^\"]+)\"")]
    private static partial Regex SecretValue();
}
