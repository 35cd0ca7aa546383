using System.Net;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Security;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.IntegrationTests.AdminConsole;

/// <summary>
/// The console's doors: the setup link works once, forms need their antiforgery token, pages refuse anonymous callers and
/// API keys, the API refuses the console cookie, and repeated failures lock an account. One server: the owner exists
/// after the first test that needs it.
/// </summary>
public sealed class ConsoleAccessTests : IAsyncLifetime
{
    private AdoBridgeServer server = null!;
    private ConsoleSession owner = null!;

    public async Task InitializeAsync()
    {
        server = await AdoBridgeServer.StartAsync();
        owner = new ConsoleSession(server.BaseUrl);
        var setup = ConsoleSession.SetupToken(server);
        using var created = await owner.SetUpOwnerAsync(setup);
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        created.Headers.Location!.OriginalString.ShouldBe("/console");
        SetupToken = setup;
    }

    private string SetupToken { get; set; } = string.Empty;

    [Fact]
    public async Task SetupLink_WorksOnce_AndSignsTheOwnerIn()
    {
        (await owner.GetAsync("/console/connections")).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var other = new ConsoleSession(server.BaseUrl);
        (await other.GetAsync("/console/setup/" + SetupToken)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await other.GetAsync("/console/sign-in"); // a valid antiforgery token, so only the spent link can refuse the post
        using var again = await other.PostAsync("/console/setup/" + SetupToken, new() { ["userName"] = "intruder", ["password"] = "another long password", ["confirmation"] = "another long password" });
        again.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.GetAsync("/console/setup/not-a-token")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // No new link while an owner exists, and the audit holds the setup.
        (await server.Service<AdoBridge.AdminConsole.ConsoleAccounts>().IssueSetupTokenAsync(default)).ShouldBeNull();
        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.ConsoleUsers.CountAsync()).ShouldBe(1);
        (await db.ConsoleAudit.CountAsync(a => a.Action == "console.setup" && a.Actor == ConsoleSession.OwnerName)).ShouldBe(1);
    }

    [Fact]
    public async Task FormPost_WithoutAntiforgeryToken_IsRefused()
    {
        using var stranger = new ConsoleSession(server.BaseUrl);
        using var signIn = await stranger.PostAsync("/console/sign-in", new() { ["userName"] = ConsoleSession.OwnerName, ["password"] = ConsoleSession.OwnerPassword }, withToken: false);
        signIn.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        signIn.Headers.Contains("Set-Cookie").ShouldBeFalse();

        (await owner.GetAsync("/console/connections")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var signOut = await owner.PostAsync("/console/sign-out", [], withToken: false);
        signOut.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await signOut.Content.ReadAsStringAsync()).ShouldContain("antiforgery_failed");
        (await owner.GetAsync("/console/connections")).StatusCode.ShouldBe(HttpStatusCode.OK, "a refused sign-out leaves the session alone");
    }

    [Fact]
    public async Task ConsolePages_RefuseAnonymousCallersAndApiKeys()
    {
        var routes = RouteTable.Read(server.App).Where(r => r.Pattern.StartsWith("/console", StringComparison.Ordinal)).ToList();
        var pages = routes.Where(r => r.RequiredRole == RouteTable.ConsoleSession).ToList();
        pages.Count.ShouldBeGreaterThanOrEqualTo(3);
        routes.Where(r => r.RequiredRole != RouteTable.ConsoleSession).ShouldAllBe(r => RouteTable.PublicPrefixes.Any(p => r.Pattern.StartsWith(p, StringComparison.Ordinal)));

        using var anonymous = new ConsoleSession(server.BaseUrl);
        using var withKey = new ConsoleSession(server.BaseUrl);
        withKey.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdoBridgeServer.BootstrapKey);
        foreach (var route in pages)
        {
            foreach (var session in new[] { anonymous, withKey })
            {
                using var response = await session.Http.SendAsync(new HttpRequestMessage(new HttpMethod(route.Method), route.Path));
                response.StatusCode.ShouldBe(HttpStatusCode.Redirect, $"{route} answered {response.StatusCode}");
                response.Headers.Location!.AbsolutePath.ShouldBe("/console/sign-in", route.ToString());
            }
        }
    }

    [Fact]
    public async Task ApiRoutes_RefuseTheConsoleCookie()
    {
        (await owner.GetAsync("/console/connections")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // The cookie's path is /console; send it to the API on purpose, as a forged request would.
        var cookie = owner.Cookies.GetCookies(new Uri(server.BaseUrl, "/console/")).Single(c => c.Name == AdoBridge.AdminConsole.ConsoleAuth.CookieName);
        using var api = server.Client(apiKey: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/admin/apps");
        request.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        using var response = await api.SendAsync(request);
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "missing_api_key");
    }

    [Fact]
    public async Task RepeatedFailures_LockTheAccount_EvenForTheRightPassword()
    {
        // A second account name would keep the owner usable for the other tests; the lockout counts per name, so use one that does not exist.
        using var session = new ConsoleSession(server.BaseUrl);
        await session.GetAsync("/console/sign-in");
        for (var i = 1; i <= AdoBridge.AdminConsole.ConsoleAccounts.MaxFailures; i++)
        {
            using var wrong = await session.PostAsync("/console/sign-in", new() { ["userName"] = "ghost@example.com", ["password"] = "wrong password " + i });
            // The fifth failure already answers that the account is now locked.
            wrong.StatusCode.ShouldBe(i < AdoBridge.AdminConsole.ConsoleAccounts.MaxFailures ? HttpStatusCode.Unauthorized : (HttpStatusCode)429);
        }

        using var locked = await session.PostAsync("/console/sign-in", new() { ["userName"] = "ghost@example.com", ["password"] = "anything" });
        locked.StatusCode.ShouldBe((HttpStatusCode)429);
        (await locked.Content.ReadAsStringAsync()).ShouldContain("locked after 5 failed sign-ins");
        locked.Headers.RetryAfter.ShouldNotBeNull();

        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.ConsoleAudit.CountAsync(a => a.Actor == "ghost@example.com" && a.Action == "console.sign_in_failed")).ShouldBe(5);
        (await db.ConsoleAudit.CountAsync(a => a.Actor == "ghost@example.com" && a.Action == "console.sign_in_locked_out")).ShouldBe(1);
    }

    [Fact]
    public async Task SignOut_EndsTheSession_AndIsAudited()
    {
        using var session = new ConsoleSession(server.BaseUrl);
        (await session.SignInAsync(ConsoleSession.OwnerPassword)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await session.GetAsync("/console/connections")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var signOut = await session.PostAsync("/console/sign-out", []);
        signOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await session.GetAsync("/console/connections")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.ConsoleAudit.CountAsync(a => a.Actor == ConsoleSession.OwnerName && a.Action == "console.sign_out")).ShouldBeGreaterThanOrEqualTo(1);
    }

    public async Task DisposeAsync()
    {
        owner.Dispose();
        await server.DisposeAsync();
    }
}
