using System.Net;
using System.Net.Http.Json;
using System.Net.Http.Headers;
using System.Text;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Mcp;

/// <summary>/mcp as HTTP: both revisions on one URL, the API key, Origin, size and filter-header checks, the per-key rate limit.</summary>
public sealed class McpEndpointTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""";
    private const string Discover = """{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}""";

    [Fact]
    public async Task BothRevisions_AreServedOnOneUrl_InitializeWithASession_DiscoverWithout()
    {
        using var client = fixture.Server.Client();
        using var init = await client.SendAsync(Post(Initialize));
        init.StatusCode.ShouldBe(HttpStatusCode.OK);
        init.Headers.GetValues("Mcp-Session-Id").Single().ShouldNotBeNullOrEmpty();
        (await init.Content.ReadAsStringAsync()).ShouldContain("\"protocolVersion\":\"2025-11-25\"");

        using var discover = await client.SendAsync(Post(Discover, ("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", "server/discover")));
        discover.StatusCode.ShouldBe(HttpStatusCode.OK);
        discover.Headers.Contains("Mcp-Session-Id").ShouldBeFalse();
        var body = await discover.Content.ReadAsStringAsync();
        body.ShouldContain("2026-07-28");
        body.ShouldContain("\"tools\"");
    }

    [Fact]
    public async Task WithoutAKey_Answers401ProblemWithTheBearerChallenge_AsTheApiDoes()
    {
        using var client = fixture.Server.Client(apiKey: null);
        using var response = await client.SendAsync(Post(Initialize));
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "missing_api_key");
        response.Headers.WwwAuthenticate.ToString().ShouldContain("Bearer");

        using var wrong = fixture.Server.Client("adbk_aaaaaaaaaaaa_notARealKeyButShapedLikeOne0123456789abcdef");
        await (await wrong.SendAsync(Post(Initialize))).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Theory]
    [InlineData("http://evil.example", HttpStatusCode.Forbidden)]
    [InlineData("https://attacker.test:5080", HttpStatusCode.Forbidden)]
    [InlineData("null", HttpStatusCode.Forbidden)]
    [InlineData("http://localhost:3000", HttpStatusCode.OK)]
    [InlineData("http://127.0.0.1:6274", HttpStatusCode.OK)]
    public async Task Origin_IsChecked_ForeignRefused_LoopbackAllowedInSandbox(string origin, HttpStatusCode expected)
    {
        using var client = fixture.Server.Client();
        using var response = await client.SendAsync(Post(Initialize, ("Origin", origin)));
        response.StatusCode.ShouldBe(expected);
        if (expected == HttpStatusCode.Forbidden)
        {
            await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "origin_not_allowed");
        }
    }

    [Fact]
    public async Task OwnOrigin_IsAllowed()
    {
        using var client = fixture.Server.Client();
        using var response = await client.SendAsync(Post(Initialize, ("Origin", fixture.Server.BaseUrl.GetLeftPart(UriPartial.Authority))));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ABodyOverTheLimit_Answers413()
    {
        using var client = fixture.Server.Client();
        var big = Initialize.Replace("\"test\"", "\"" + new string('x', 600 * 1024) + "\"", StringComparison.Ordinal);
        await (await client.SendAsync(Post(big))).ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Theory]
    [InlineData("X-MCP-Toolsets", "repos,bogus", "bogus")]
    [InlineData("X-MCP-Tools", "get_work_item,no_such_tool", "no_such_tool")]
    [InlineData("X-MCP-Readonly", "maybe", "maybe")]
    public async Task AWrongFilterHeader_Answers400NamingTheValue(string header, string value, string named)
    {
        using var client = fixture.Server.Client();
        var problem = await (await client.SendAsync(Post(Initialize, (header, value)))).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_mcp_filter");
        problem.GetProperty("detail").GetString()!.ShouldContain(named);
    }

    [Fact]
    public async Task ARequestWithoutInitialize_From2025Client_IsTold_ToSendInitializeFirst_InAdoBridgesWords()
    {
        using var client = fixture.Server.Client();
        const string call = """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"list_organizations","arguments":{}}}""";
        using var response = await client.SendAsync(Post(call, ("MCP-Protocol-Version", "2025-11-25")));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var body = await response.Content.ReadAsStringAsync();
        using var json = System.Text.Json.JsonDocument.Parse(body);
        var error = json.RootElement.GetProperty("error");
        error.GetProperty("code").GetInt32().ShouldBe(-32000);
        var message = error.GetProperty("message").GetString()!;
        message.ShouldStartWith("Send initialize first");
        message.ShouldContain("Mcp-Session-Id");
        body.ShouldNotContain("HttpServerTransportOptions");
        body.ShouldNotContain("SessionMode");
        json.RootElement.GetProperty("jsonrpc").GetString().ShouldBe("2.0");

        // With a session the same call is served; other 400s keep their own message.
        using var init = await client.SendAsync(Post(Initialize));
        var session = init.Headers.GetValues("Mcp-Session-Id").Single();
        using var served = await client.SendAsync(Post(call, ("MCP-Protocol-Version", "2025-11-25"), ("Mcp-Session-Id", session)));
        served.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var malformed = await client.SendAsync(Post("{not json", ("MCP-Protocol-Version", "2025-11-25")));
        malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await malformed.Content.ReadAsStringAsync()).ShouldNotContain("Send initialize first");
    }

    [Fact]
    public async Task McpRequests_AreRateLimitedPerApiKey()
    {
        await using var server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?> { ["AdoBridge:RateLimits:McpRequestsPerMinute"] = "2" });
        using var client = server.Client();
        (await client.SendAsync(Post(Initialize))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.SendAsync(Post(Initialize))).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var limited = await client.SendAsync(Post(Initialize));
        await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        limited.Headers.RetryAfter.ShouldNotBeNull();

        // Another key has its own budget.
        using var admin = server.Client();
        var other = await admin.PostAsJsonAsync("/v1/admin/api-keys", new { name = "second mcp key", role = "product" });
        var key = (await other.ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("key").GetString();
        using var second = server.Client(key);
        (await second.SendAsync(Post(Initialize))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static HttpRequestMessage Post(string json, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
