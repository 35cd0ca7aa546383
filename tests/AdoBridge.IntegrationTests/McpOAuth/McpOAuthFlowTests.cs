using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Mcp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AdoBridge.IntegrationTests.McpOAuth;

/// <summary>
/// AdoBridge as the OAuth 2.1 authorization server of /mcp, driven as an MCP client drives it: the 401 challenge,
/// discovery, registration, sign-in through the connect flow, consent, the code with PKCE, tokens, and a tool call as
/// the connection the user signed in with. The clock is fake, so an access token expires when the test says.
/// </summary>
public sealed class McpOAuthFlowTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    private AdoBridgeServer server = null!;
    private OAuthDriver oauth = null!;

    public async Task InitializeAsync()
    {
        server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?> { ["AdoBridge:RateLimits:McpRequestsPerMinute"] = "0" },
            configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        oauth = new OAuthDriver(server);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Mcp_WithoutCredentials_ChallengesWithTheProtectedResourceMetadata()
    {
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync(oauth.Resource, new { jsonrpc = "2.0", id = 1, method = "tools/list" });
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "missing_api_key");
        var challenge = response.Headers.WwwAuthenticate.ToString();
        challenge.ShouldContain($"resource_metadata=\"{oauth.Base}/.well-known/oauth-protected-resource/mcp\"");

        var resource = await (await http.GetAsync(oauth.Base + "/.well-known/oauth-protected-resource/mcp")).ShouldBeJsonAsync();
        resource.GetProperty("resource").GetString().ShouldBe(oauth.Resource);
        var issuer = resource.GetProperty("authorization_servers")[0].GetString()!;
        (await (await http.GetAsync(oauth.Base + "/.well-known/oauth-protected-resource")).ShouldBeJsonAsync()).GetProperty("resource").GetString().ShouldBe(oauth.Resource);

        var metadata = await (await http.GetAsync(issuer + "/.well-known/oauth-authorization-server")).ShouldBeJsonAsync();
        metadata.GetProperty("issuer").GetString()!.TrimEnd('/').ShouldBe(issuer);
        metadata.GetProperty("authorization_endpoint").GetString().ShouldBe(oauth.Base + "/oauth/authorize");
        metadata.GetProperty("token_endpoint").GetString().ShouldBe(oauth.Base + "/oauth/token");
        metadata.GetProperty("registration_endpoint").GetString().ShouldBe(oauth.Base + "/oauth/register");
        metadata.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(m => m.GetString()).ShouldBe(["S256"]);
        metadata.GetProperty("grant_types_supported").EnumerateArray().Select(m => m.GetString()).ShouldBe(["authorization_code", "refresh_token"], ignoreOrder: true);
        metadata.GetProperty("response_types_supported").EnumerateArray().Select(m => m.GetString()).ShouldBe(["code"]);
        metadata.GetProperty("client_id_metadata_document_supported").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task FullFlow_TokenCallsToolsAsTheSignedInConnection_AndIsAudited()
    {
        var (clientId, access, _) = await oauth.FullFlowAsync();

        await using var mcp = await McpFixture.ClientAsync(new Uri(oauth.Resource), McpFixture.Latest, null, access);
        var result = await mcp.CallToolAsync("list_projects", new Dictionary<string, object?> { ["organization"] = "fabrikam" });
        result.Ok().GetRawText().ShouldContain(McpFixture.Project);

        using var api = server.Client();
        var tokens = await (await api.GetAsync("/v1/mcp/tokens")).ShouldBeJsonAsync();
        var mine = tokens.GetProperty("data").EnumerateArray().Where(t => t.GetProperty("clientId").GetString() == clientId).ToList();
        mine.Select(t => t.GetProperty("type").GetString()).ShouldBe(["access_token", "refresh_token"], ignoreOrder: true);
        var connection = mine[0].GetProperty("connectionId").GetString()!;
        connection.ShouldStartWith("conn_");

        // The token acts as its connection only.
        var other = await mcp.CallToolAsync("list_projects", new Dictionary<string, object?> { ["organization"] = "fabrikam", ["connection"] = "conn_someoneelse" });
        other.IsError.ShouldBe(true);
        JsonSerializer.Serialize(other.Content).ShouldContain("connection_not_allowed");

        var calls = await (await api.GetAsync($"/v1/mcp/calls?connectionId={connection}&tool=list_projects")).ShouldBeJsonAsync();
        calls.GetProperty("items").EnumerateArray().ShouldContain(c => c.GetProperty("keyId").GetString() == "oauth:" + clientId && c.GetProperty("outcome").GetString() == "ok");
    }

    [Fact]
    public async Task RefreshToken_Rotates_AndTheOldOneIsRefused()
    {
        var (clientId, _, refresh) = await oauth.FullFlowAsync();
        var next = await (await oauth.TokenAsync(("grant_type", "refresh_token"), ("client_id", clientId), ("refresh_token", refresh))).ShouldBeJsonAsync();
        var rotated = next.GetProperty("refresh_token").GetString()!;
        rotated.ShouldNotBe(refresh);
        next.GetProperty("expires_in").GetInt32().ShouldBeLessThanOrEqualTo(600);

        await OAuthDriver.OAuthErrorAsync(await oauth.TokenAsync(("grant_type", "refresh_token"), ("client_id", clientId), ("refresh_token", refresh)), "invalid_grant");
    }

    [Fact]
    public async Task ExpiredAccessToken_IsRefused_AndTheRefreshTokenGetsANewOne()
    {
        var (clientId, access, refresh) = await oauth.FullFlowAsync();
        clock.Advance(TimeSpan.FromMinutes(11));
        var refused = await ListToolsAsync(access);
        await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        refused.Headers.WwwAuthenticate.ToString().ShouldContain("error=\"invalid_token\"");

        var next = await (await oauth.TokenAsync(("grant_type", "refresh_token"), ("client_id", clientId), ("refresh_token", refresh))).ShouldBeJsonAsync();
        (await ListToolsAsync(next.GetProperty("access_token").GetString()!)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RevokedToken_IsRefusedAtOnce_WithItsRefreshToken()
    {
        var (clientId, access, refresh) = await oauth.FullFlowAsync();
        (await ListToolsAsync(access)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var api = server.Client();
        var tokens = await (await api.GetAsync("/v1/mcp/tokens")).ShouldBeJsonAsync();
        var id = tokens.GetProperty("data").EnumerateArray().First(t => t.GetProperty("clientId").GetString() == clientId && t.GetProperty("type").GetString() == "access_token").GetProperty("id").GetString();
        (await api.DeleteAsync($"/v1/mcp/tokens/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await ListToolsAsync(access)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        await OAuthDriver.OAuthErrorAsync(await oauth.TokenAsync(("grant_type", "refresh_token"), ("client_id", clientId), ("refresh_token", refresh)), "invalid_grant");
        (await (await api.GetAsync("/v1/mcp/tokens")).ShouldBeJsonAsync()).GetProperty("data").EnumerateArray().ShouldNotContain(t => t.GetProperty("clientId").GetString() == clientId);
        await (await api.DeleteAsync("/v1/mcp/tokens/nope")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "mcp_token_not_found");
    }

    [Fact]
    public async Task ConsentPage_NamesTheClientAndItsRedirectUri_AndADenialReachesTheClient()
    {
        var clientId = await oauth.RegisterAsync("Denied client");
        using var user = new BrowserlessUser();
        var denied = await oauth.SignInAndApproveAsync(user, oauth.AuthorizeUrl(clientId, OAuthDriver.Challenge(OAuthDriver.NewVerifier())), approve: false);
        denied.ToString().ShouldStartWith(OAuthDriver.RedirectUri);
        System.Web.HttpUtility.ParseQueryString(denied.Query)["error"].ShouldBe("access_denied");

        var consent = await ConsentPageAsync(await oauth.RegisterAsync("Claude Code"));
        consent.ShouldContain("Claude Code");
        consent.ShouldContain(OAuthDriver.RedirectUri);
    }

    private async Task<string> ConsentPageAsync(string clientId)
    {
        using var user = new BrowserlessUser();
        var url = oauth.AuthorizeUrl(clientId, OAuthDriver.Challenge(OAuthDriver.NewVerifier()));
        await user.GetAsync(url);
        var connect = user.Location(url);
        await user.SignInAsync(connect, "alice@fabrikam.onmicrosoft.com");
        await user.GetAsync(user.Location(connect));
        await user.PostFormAsync(connect + "/organizations", [new("organizations", "fabrikam")]);
        await user.GetAsync(user.Location(connect));
        return user.LastBody;
    }

    private async Task<HttpResponseMessage> ListToolsAsync(string accessToken)
    {
        using var http = new HttpClient();
        const string initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, oauth.Resource) { Content = new StringContent(initialize, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return await http.SendAsync(request);
    }
}
