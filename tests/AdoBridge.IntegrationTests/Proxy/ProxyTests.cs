using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Connections;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using AdoBridge.IntegrationTests.Tokens;

namespace AdoBridge.IntegrationTests.Proxy;

/// <summary>The transparent proxy over real HTTP to the emulator: forwarding, each retry rule, and every relay refusal.</summary>
public sealed class ProxyTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>, IAsyncLifetime
{
    private AdoBridgeServer Server => fixture.Server;

    private string connectionId = string.Empty;

    public async Task InitializeAsync() => connectionId = await Server.ConnectWithMicrosoftAsync("proxy-user-" + Guid.NewGuid().ToString("N")[..6]);

    public async Task DisposeAsync()
    {
        using var emulator = await Server.EmulatorAdminAsync();
        await emulator.DeleteAsync("faults");
    }

    private async Task FaultAsync(object fault)
    {
        using var emulator = await Server.EmulatorAdminAsync();
        (await emulator.PostAsJsonAsync("faults", fault)).EnsureSuccessStatusCode();
    }

    private async Task<int> RefreshCountAsync()
    {
        using var emulator = await Server.EmulatorAdminAsync();
        return await TokenRefreshTests.RefreshCountAsync(emulator, string.Empty);
    }

    [Fact]
    public async Task Get_ForwardsAsTheConnection_AndPassesPagingHeadersBack()
    {
        using var api = Server.Client();

        using var response = await api.GetAsync($"/v1/proxy/{connectionId}/fabrikam/_apis/projects?$top=5&api-version=7.1");

        var body = await response.ShouldBeJsonAsync();
        body.GetProperty("value").GetArrayLength().ShouldBe(5);
        response.Headers.GetValues("x-ms-continuationtoken").Single().ShouldNotBeNullOrEmpty();
        response.Headers.Contains("Set-Cookie").ShouldBeFalse();
        var stats = await (await api.GetAsync($"/v1/connections/{connectionId}/proxy-stats")).ShouldBeJsonAsync();
        stats.GetProperty("requests").GetInt64().ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task Options_ServiceDiscoveryUrls_LeadBackThroughTheProxy()
    {
        using var api = Server.Client();

        var areas = await (await api.GetAsync($"/v1/proxy/{connectionId}/fabrikam/_apis/resourceAreas?api-version=7.1")).ShouldBeJsonAsync();

        var urls = areas.GetProperty("value").EnumerateArray().Select(a => a.GetProperty("locationUrl").GetString()!).ToList();
        urls.ShouldNotBeEmpty();
        urls.ShouldAllBe(u => u.StartsWith(new Uri(Server.BaseUrl, $"/v1/proxy/{connectionId}/").ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unauthorized_RefreshesOnceAndRetries()
    {
        await FaultAsync(new { pathPrefix = "/dev.azure.com/fabrikam/_apis/projects", statusCode = 401, count = 1, body = "{\"message\":\"expired\"}", contentType = "application/json" });
        var before = await RefreshCountAsync();
        using var api = Server.Client();

        using var response = await api.GetAsync($"/v1/proxy/{connectionId}/fabrikam/_apis/projects?api-version=7.1");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await RefreshCountAsync() - before).ShouldBe(1);
    }

    [Fact]
    public async Task SignInPage203_RefreshesOnceAndRetries()
    {
        await FaultAsync(new { pathPrefix = "/dev.azure.com/fabrikam/_apis/projects", statusCode = 203, count = 1, body = "<html><title>Sign In</title></html>", contentType = "text/html" });
        var before = await RefreshCountAsync();
        using var api = Server.Client();

        using var response = await api.GetAsync($"/v1/proxy/{connectionId}/fabrikam/_apis/projects?api-version=7.1");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await RefreshCountAsync() - before).ShouldBe(1);
    }

    [Fact]
    public async Task Unauthorized_OnPostWithAKeptBody_RetriesWithTheSameBody()
    {
        await FaultAsync(new { pathPrefix = "/dev.azure.com/fabrikam/Fabrikam-Fiber-Git/_apis/wit/wiql", method = "POST", statusCode = 401, count = 1, body = "{\"message\":\"expired\"}", contentType = "application/json" });
        var before = await RefreshCountAsync();
        using var api = Server.Client();

        // With a Content-Length (JsonContent has none, so it would stream): the forwarder reads the body from the request at
        // each attempt, and the second must get all of it again.
        using var body = new StringContent("{\"query\":\"Select [System.Id] From WorkItems\"}", System.Text.Encoding.UTF8, "application/json");
        using var response = await api.PostAsync($"/v1/proxy/{connectionId}/fabrikam/Fabrikam-Fiber-Git/_apis/wit/wiql?api-version=7.1", body);

        var result = await response.ShouldBeJsonAsync();
        result.GetProperty("workItems").GetArrayLength().ShouldBeGreaterThan(0);
        (await RefreshCountAsync() - before).ShouldBe(1);
    }

    [Fact]
    public async Task Unauthorized_OnAStreamedBody_IsNotRetried_And401Problem()
    {
        await FaultAsync(new { pathPrefix = "/dev.azure.com/fabrikam/Fabrikam-Fiber-Git/_apis/wit/wiql", method = "POST", statusCode = 401, count = 1, body = "{\"message\":\"TF400813: expired\"}", contentType = "application/json" });
        var before = await RefreshCountAsync();
        // Over Proxy:ReplayableBodyLimit (1 MiB): it streams through once and cannot be sent again. Sent as a client should
        // send a large body, with `Expect: 100-continue`: the refusal comes back before any of it is uploaded.
        using var handler = new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) };
        using var api = new HttpClient(handler) { BaseAddress = Server.BaseUrl };
        api.DefaultRequestHeaders.Authorization = new("Bearer", AdoBridgeServer.BootstrapKey);
        api.DefaultRequestHeaders.ExpectContinue = true;
        using var content = new ByteArrayContent(new byte[2 * 1024 * 1024]);
        content.Headers.ContentType = new("application/json");

        using var response = await api.PostAsync($"/v1/proxy/{connectionId}/fabrikam/Fabrikam-Fiber-Git/_apis/wit/wiql?api-version=7.1", content);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "azure_devops_auth_failed");
        problem.GetProperty("detail").GetString()!.ShouldContain("TF400813");
        (await RefreshCountAsync() - before).ShouldBe(0);
    }

    [Fact]
    public async Task UnauthorizedTwice_Answers401ProblemWithoutLoopingRefreshes()
    {
        await FaultAsync(new { pathPrefix = "/dev.azure.com/fabrikam/_apis/projects", statusCode = 401, count = 5, body = "{\"message\":\"TF400813: not authorized\"}", contentType = "application/json" });
        var before = await RefreshCountAsync();
        using var api = Server.Client();

        var problem = await (await api.GetAsync($"/v1/proxy/{connectionId}/fabrikam/_apis/projects?api-version=7.1")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "azure_devops_auth_failed");

        problem.GetProperty("detail").GetString()!.ShouldContain("TF400813");
        (await RefreshCountAsync() - before).ShouldBe(1);
    }

    [Fact]
    public async Task RevokedGrant_Answers401AndMarksTheConnection()
    {
        var id = await Server.ConnectWithMicrosoftAsync("proxy-revoked", upn: "carol@contoso.onmicrosoft.com");
        using var api = Server.Client();
        var clientId = (await (await api.GetAsync("/v1/admin/apps/sandbox")).ShouldBeJsonAsync()).GetProperty("clientId").GetString();
        using (var emulator = await Server.EmulatorAdminAsync())
        {
            (await emulator.PostAsJsonAsync("grants/revoke", new { userPrincipalName = "carol@contoso.onmicrosoft.com", clientId })).EnsureSuccessStatusCode();
        }

        var problem = await (await api.GetAsync($"/v1/proxy/{id}/fabrikam/_apis/projects?api-version=7.1")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "azure_devops_auth_failed");

        problem.GetProperty("connectionStatus").GetString().ShouldBe("needs_reauth");
        (await (await api.GetAsync($"/v1/connections/{id}")).ShouldBeJsonAsync()).GetProperty("status").GetString().ShouldBe("needs_reauth");
    }

    [Fact]
    public async Task TooManyRequests_WaitsRetryAfterThenSucceeds()
    {
        await FaultAsync(new
        {
            pathPrefix = "/dev.azure.com/fabrikam/_apis/projects",
            statusCode = 429,
            count = 1,
            headers = new Dictionary<string, string> { ["Retry-After"] = "1", ["X-RateLimit-Resource"] = "Core", ["X-RateLimit-Remaining"] = "0" },
            body = "{\"message\":\"TF400733: Request was blocked due to exceeding usage of resource 'Core'\"}",
            contentType = "application/json",
        });
        using var api = Server.Client();
        var timer = Stopwatch.StartNew();

        using var response = await api.GetAsync($"/v1/proxy/{connectionId}/fabrikam/_apis/projects?api-version=7.1");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        timer.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.9));
        var stats = await (await api.GetAsync($"/v1/connections/{connectionId}/proxy-stats")).ShouldBeJsonAsync();
        stats.GetProperty("retries").GetInt64().ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task TooManyRequests_OnPost_IsPassedBackNotRetried()
    {
        await FaultAsync(new
        {
            pathPrefix = "/dev.azure.com/fabrikam/Fabrikam-Fiber-Git/_apis/wit/wiql",
            method = "POST",
            statusCode = 429,
            count = 1,
            headers = new Dictionary<string, string> { ["Retry-After"] = "1", ["X-RateLimit-Limit"] = "200" },
            body = "{\"message\":\"TF400733: blocked\"}",
            contentType = "application/json",
        });
        using var api = Server.Client();

        using var response = await api.PostAsJsonAsync($"/v1/proxy/{connectionId}/fabrikam/Fabrikam-Fiber-Git/_apis/wit/wiql?api-version=7.1", new { query = "Select [System.Id] From WorkItems" });

        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        response.Headers.GetValues("X-RateLimit-Limit").Single().ShouldBe("200");
        (await response.Content.ReadAsStringAsync()).ShouldContain("TF400733");
    }

    [Theory]
    [InlineData("fabrikam/../other/_apis/projects")]
    [InlineData("fabrikam/%2e%2e/_apis/projects")]
    [InlineData("fabrikam%2F..%2Fother/_apis/projects")]
    [InlineData("fabrikam/_apis%2Fprojects")]
    [InlineData("fabrikam%5C_apis/projects")]
    [InlineData("not-my-org/_apis/projects")]
    [InlineData("evil.example/_apis/projects")]
    [InlineData("@evil.example/_apis")]
    [InlineData("~unknown/fabrikam/_apis")]
    [InlineData("~server/_apis/projects")]
    [InlineData("~vssps")]
    public async Task Proxy_RefusesAnythingButTheConnectionsAzureDevOps(string rest)
    {
        using var api = Server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Server.BaseUrl, $"/v1/proxy/{connectionId}/") + rest);

        using var response = await api.SendAsync(request);

        response.StatusCode.ShouldBeOneOf(HttpStatusCode.BadRequest, HttpStatusCode.NotFound);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "proxy_target_refused");
        }
    }

    [Theory]
    [InlineData("fabrikam/..;/other/_apis/projects")]
    [InlineData("fabrikam/.;x/_apis/projects")]
    [InlineData("fabrikam/%C0%AE%C0%AE/other/_apis/projects")]
    [InlineData("fabrikam/%u002e%u002e/other/_apis/projects")]
    [InlineData("fabrikam/%EF%BC%8E%EF%BC%8E/other/_apis/projects")]
    [InlineData("fabrikam/%252e%252e/other/_apis/projects")]
    [InlineData("fabrikam/.../_apis/projects")]
    [InlineData("fabrikam/x%5Cy/_apis/projects")]
    public async Task Proxy_RefusesSegmentsThatDecodeAmbiguously_SentExactlyAsWritten(string rest)
    {
        using var api = Server.Client();
        var uri = new Uri($"{Server.BaseUrl}v1/proxy/{connectionId}/{rest}", new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);

        using var response = await api.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "proxy_target_refused");
    }

    [Fact]
    public async Task Proxy_UnknownConnection_Is404()
    {
        using var api = Server.Client();
        await (await api.GetAsync("/v1/proxy/conn_nope/fabrikam/_apis/projects")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "connection_not_found");
    }

    [Fact]
    public async Task Proxy_WithoutApiKey_Is401()
    {
        using var anonymous = Server.Client(apiKey: null);
        await (await anonymous.GetAsync($"/v1/proxy/{connectionId}/fabrikam/_apis/projects")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "missing_api_key");
    }

    [Fact]
    public async Task Proxy_WithWrongOrNonBearerKey_Is401()
    {
        using var wrong = Server.Client("adbk_aaaaaaaaaaaa_notARealKeyButShapedLikeOne0123456789abcdef");
        await (await wrong.GetAsync($"/v1/proxy/{connectionId}/fabrikam/_apis/projects?api-version=7.1")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");

        using var basic = Server.Client(apiKey: null);
        basic.DefaultRequestHeaders.Add("Authorization", "Basic " + Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(":" + AdoBridgeServer.BootstrapKey)));
        await (await basic.GetAsync($"/v1/proxy/{connectionId}/fabrikam/_apis/projects?api-version=7.1")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task Proxy_KeyOfAnotherEnvironment_DoesNotReachTheConnection()
    {
        using var admin = Server.Client();
        var environment = "env-" + Guid.NewGuid().ToString("N")[..10];
        (await admin.PostAsJsonAsync("/v1/admin/environments", new { id = environment })).EnsureSuccessStatusCode();
        var key = await (await admin.PostAsJsonAsync("/v1/admin/api-keys", new { name = environment, environment })).ShouldBeJsonAsync(HttpStatusCode.Created);
        using var other = Server.Client(key.GetProperty("key").GetString());

        await (await other.GetAsync($"/v1/proxy/{connectionId}/fabrikam/_apis/projects?api-version=7.1")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "connection_not_found");
    }

    [Fact]
    public async Task Proxy_RevokedKey_IsRefusedAtOnce()
    {
        using var admin = Server.Client();
        var created = await (await admin.PostAsJsonAsync("/v1/admin/api-keys", new { name = "proxy-short-lived", role = "product" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        using var key = Server.Client(created.GetProperty("key").GetString());
        (await key.GetAsync($"/v1/proxy/{connectionId}/fabrikam/_apis/projects?api-version=7.1")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await admin.DeleteAsync($"/v1/admin/api-keys/{created.GetProperty("id").GetString()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await key.GetAsync($"/v1/proxy/{connectionId}/fabrikam/_apis/projects?api-version=7.1")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task Proxy_ConnectionChangedBehindItsBack_IsSeenWithinSeconds()
    {
        using var api = Server.Client();
        var url = $"/v1/proxy/{connectionId}/fabrikam/_apis/projects?api-version=7.1";
        (await api.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // As another instance would: straight in the database, so this instance's cached row is not dropped.
        await using (var db = await Server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync())
        {
            await db.Connections.Where(c => c.Id == connectionId).ExecuteUpdateAsync(u => u.SetProperty(c => c.Status, ConnectionStatus.NeedsReauth));
        }

        // The cached row is served for two seconds, then re-read in the background while it is still served.
        var deadline = Stopwatch.StartNew();
        HttpResponseMessage response;
        do
        {
            await Task.Delay(100);
            response = await api.GetAsync(url);
        }
        while (response.StatusCode == HttpStatusCode.OK && deadline.Elapsed < TimeSpan.FromSeconds(8));

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "azure_devops_auth_failed");
    }

    [Fact]
    public async Task Post_BodyIsForwarded()
    {
        using var api = Server.Client();
        using var content = new StringContent("[{\"op\":\"add\",\"path\":\"/fields/System.Title\",\"value\":\"Created through the proxy\"}]", System.Text.Encoding.UTF8, "application/json-patch+json");

        using var response = await api.PostAsync($"/v1/proxy/{connectionId}/fabrikam/Fabrikam-Fiber-Git/_apis/wit/workitems/$Task?api-version=7.1", content);

        var item = await response.ShouldBeJsonAsync();
        item.GetProperty("fields").GetProperty("System.Title").GetString().ShouldBe("Created through the proxy");
    }
}
