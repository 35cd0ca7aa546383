using System.Net;
using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.RateLimiting;

/// <summary>
/// Connect-session creation is limited per API key, the connect pages and refused ingest requests per client address;
/// each answers 429 with `Retry-After` and a problem `code` (the pages: a page). Behind a configured reverse proxy the
/// client address is the one it forwards.
/// </summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task ConnectSessionCreation_IsLimitedPerApiKey()
    {
        await using var server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?> { ["AdoBridge:RateLimits:ConnectSessionsPerMinute"] = "3" });
        using var api = server.Client();
        for (var i = 0; i < 3; i++)
        {
            await api.CreateConnectSessionAsync(new { endUserId = $"u{i}" });
        }

        using var refused = await api.PostAsJsonAsync("/v1/connect-sessions", new { endUserId = "one-too-many" });

        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        int.Parse(refused.Headers.GetValues("Retry-After").Single()).ShouldBeGreaterThan(0);
        var created = await (await api.PostAsJsonAsync("/v1/admin/api-keys", new { name = "other product" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        using var otherKey = server.Client(created.GetProperty("key").GetString());
        await otherKey.CreateConnectSessionAsync(new { endUserId = "someone else" });
    }

    [Fact]
    public async Task ConsoleReconnectLinks_AreLimitedPerConsoleAccount_WithAPage_ApartFromTheApiKeys()
    {
        await using var server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?> { ["AdoBridge:RateLimits:ConnectSessionsPerMinute"] = "2" });
        using var owner = new AdminConsole.ConsoleSession(server.BaseUrl);
        (await owner.SetUpOwnerAsync(AdminConsole.ConsoleSession.SetupToken(server))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var id = await server.ConnectWithMicrosoftAsync("reconnect-limit");
        await owner.GetAsync($"/console/connections/{id}");
        for (var i = 0; i < 2; i++)
        {
            using var made = await owner.PostAsync($"/console/connections/{id}/reconnect-link", []);
            made.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var refused = await owner.PostAsync($"/console/connections/{id}/reconnect-link", []);

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await refused.Content.ReadAsStringAsync()).ShouldContain("Too many requests");
        int.Parse(refused.Headers.GetValues("Retry-After").Single()).ShouldBeGreaterThan(0);
        // The product's API key has its own allowance: the console's links did not use it up.
        using var api = server.Client();
        await api.CreateConnectSessionAsync(new { endUserId = "product-user" });
    }

    [Fact]
    public async Task ConnectPages_AreLimitedPerClientAddress_WithAPage()
    {
        await using var server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?> { ["AdoBridge:RateLimits:ConnectPagesPerMinute"] = "5" });
        using var api = server.Client();
        var url = (await api.CreateConnectSessionAsync(new { endUserId = "refresher" })).GetProperty("url").GetString()!;
        using var user = new BrowserlessUser();
        for (var i = 0; i < 5; i++)
        {
            (await user.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await user.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);

        user.Last!.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        user.LastBody.ShouldContain("Too many requests");
        int.Parse(user.Last.Headers.GetValues("Retry-After").Single()).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task RefusedIngestRequests_AreLimitedPerClientAddress()
    {
        // Two a minute: a permit comes back 30 s after the first refusal, far more than this test takes even on a busy machine
        // (at three a minute, one came back every 20 s, and a slow run saw it).
        await using var server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?> { ["AdoBridge:RateLimits:IngestFailuresPerMinute"] = "2" });
        using var scanner = server.Client(apiKey: null);
        for (var i = 0; i < 2; i++)
        {
            await (await scanner.PostAsJsonAsync($"/hooks/ado/guess{i}", new { })).ShouldBeProblemAsync(HttpStatusCode.NotFound, "hook_not_found");
        }

        using var refused = await scanner.PostAsJsonAsync("/hooks/ado/guess-again", new { });

        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        refused.Headers.Contains("Retry-After").ShouldBeTrue();
    }

    [Fact]
    public async Task WrongHookSecrets_UseUpTheAllowance_ThenEvenTheRightSecretWaits_WhileGoodDeliveriesNeverCount()
    {
        await using var server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?>
        {
            ["AdoBridge:RateLimits:IngestFailuresPerMinute"] = "2",
            ["AdoBridge:ServiceHooks:HealthCheckInterval"] = "00:00:00",
        });
        var connectionId = await server.ConnectWithMicrosoftAsync("ingest-limit-user");
        using var api = server.Client();
        var subscription = await (await api.PostAsJsonAsync($"/v1/connections/{connectionId}/subscriptions",
            new { organization = "fabrikam", project = "Fabrikam-Fiber-Git", events = new[] { "git.pullrequest.created" } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var projectId = Webhooks.ServiceHooksFixture.ProjectIdOf(subscription);
        var (url, secret) = await Webhooks.ServiceHooksFixture.IngestOfAsync(server, subscription.GetProperty("hooks")[0]);
        using var azureDevOps = new HttpClient();

        for (var i = 0; i < 5; i++)
        {
            (await azureDevOps.SendAsync(Delivery(url, secret, projectId))).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // Two a minute (a permit back 30 s after the first refusal): see the test above.
        for (var i = 0; i < 2; i++)
        {
            await (await azureDevOps.SendAsync(Delivery(url, "wrong-secret-" + i, projectId))).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "hook_secret_invalid");
        }

        using var blocked = await azureDevOps.SendAsync(Delivery(url, secret, projectId));
        await blocked.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        blocked.Headers.Contains("Retry-After").ShouldBeTrue();
    }

    // A notification as Azure DevOps sends it for the subscription's project: Microsoft's sample, re-targeted, with basic auth.
    private static HttpRequestMessage Delivery(string url, string secret, string projectId)
        => Webhooks.SandboxPayloads.Post(url, Webhooks.SandboxPayloads.Retarget(Webhooks.SandboxPayloads.Sample("git.pullrequest.created.json"), projectId).ToJsonString(), secret);

    [Fact]
    public async Task BehindATrustedProxy_EachForwardedClientHasItsOwnLimit_AndCookiesAreSecure()
    {
        await using var server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?>
        {
            ["AdoBridge:RateLimits:IngestFailuresPerMinute"] = "2",
            ["AdoBridge:ForwardedHeaders:TrustedProxies:0"] = "127.0.0.0/8",
        });
        using var proxy = server.Client(apiKey: null);
        for (var client = 1; client <= 3; client++)
        {
            for (var i = 0; i < 2; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/ado/guess{i}") { Content = JsonContent.Create(new { }) };
                request.Headers.Add("X-Forwarded-For", $"203.0.113.{client}");
                (await proxy.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            }
        }

        using var api = server.Client();
        var url = (await api.CreateConnectSessionAsync(new { endUserId = "behind-proxy" })).GetProperty("url").GetString()!;
        using var start = new HttpRequestMessage(HttpMethod.Post, url + "/start") { Content = new FormUrlEncodedContent([new("app", "sandbox")]) };
        start.Headers.Add("X-Forwarded-Proto", "https");
        start.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var browser = new BrowserlessUser();
        (await browser.SendAsync(start)).StatusCode.ShouldBe(HttpStatusCode.Redirect, browser.LastBody);
        browser.Last!.Headers.GetValues("Set-Cookie").Single().ShouldContain("secure", Case.Insensitive);
    }

    [Fact]
    public async Task WithoutATrustedProxy_ForwardedHeadersAreIgnored()
    {
        await using var server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?> { ["AdoBridge:RateLimits:IngestFailuresPerMinute"] = "2" });
        using var anyone = server.Client(apiKey: null);
        var statuses = new List<HttpStatusCode>();
        for (var client = 1; client <= 3; client++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/hooks/ado/guess") { Content = JsonContent.Create(new { }) };
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{client}");
            statuses.Add((await anyone.SendAsync(request)).StatusCode);
        }

        statuses.ShouldBe([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests]);

        using var api = server.Client();
        var url = (await api.CreateConnectSessionAsync(new { endUserId = "no-proxy" })).GetProperty("url").GetString()!;
        using var start = new HttpRequestMessage(HttpMethod.Post, url + "/start") { Content = new FormUrlEncodedContent([new("app", "sandbox")]) };
        start.Headers.Add("X-Forwarded-Proto", "https");
        using var browser = new BrowserlessUser();
        await browser.SendAsync(start);
        browser.Last!.Headers.GetValues("Set-Cookie").Single().ShouldNotContain("secure", Case.Insensitive);
    }

    [Fact]
    public async Task HttpsPublicBaseUrl_MakesConnectCookiesSecure()
    {
        // Sandbox off: the sandbox reaches its emulator through the public URL, which is not served here.
        await using var server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?>
        {
            ["AdoBridge:PublicBaseUrl"] = "https://adobridge.contoso.test",
            ["AdoBridge:Sandbox"] = "off",
        });
        using var api = server.Client();
        var url = (await api.CreateConnectSessionAsync(new { endUserId = "tls-offloaded" })).GetProperty("url").GetString()!;
        url.ShouldStartWith("https://adobridge.contoso.test/connect/");
        var local = new Uri(server.BaseUrl, new Uri(url).AbsolutePath).ToString();
        using var browser = new BrowserlessUser();

        // The first post binds the browser, even one whose token is then refused.
        await browser.PostFormAsync(local + "/pat", [new("organization", "fabrikam"), new("pat", "")]);

        browser.Last!.StatusCode.ShouldBe(HttpStatusCode.BadRequest, browser.LastBody);
        browser.Last.Headers.GetValues("Set-Cookie").Single().ShouldContain("secure", Case.Insensitive);
    }
}
