using System.Net;
using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.McpOAuth;

/// <summary>
/// What the authorization server refuses: a request without PKCE or with `plain`, a wrong verifier, a code used twice,
/// a code or refresh token presented by another client, a resource other than /mcp, a token that is not AdoBridge's
/// (a token for another audience: <see cref="McpOAuthAudienceTests"/>; a revoked one: <see cref="McpOAuthFlowTests"/>),
/// and registrations that would open redirects.
/// </summary>
public sealed class McpOAuthRefusalTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private OAuthDriver OAuth => new(fixture.Server);

    [Fact]
    public async Task AuthorizationRequest_WithoutPkce_IsRefused()
    {
        var clientId = await OAuth.RegisterAsync();
        var error = await AuthorizeErrorAsync(OAuth.AuthorizeUrl(clientId, challenge: null));
        error["error"].ShouldBe("invalid_request");
        error["error_description"]!.ShouldContain("code_challenge");
    }

    [Fact]
    public async Task AuthorizationRequest_WithPlainPkce_IsRefused()
    {
        var clientId = await OAuth.RegisterAsync();
        var verifier = OAuthDriver.NewVerifier();
        var error = await AuthorizeErrorAsync(OAuth.AuthorizeUrl(clientId, verifier, method: "plain"));
        error["error"].ShouldBe("invalid_request");
    }

    [Fact]
    public async Task AuthorizationRequest_ForAnotherResource_IsRefused()
    {
        var clientId = await OAuth.RegisterAsync();
        var error = await AuthorizeErrorAsync(OAuth.AuthorizeUrl(clientId, OAuthDriver.Challenge(OAuthDriver.NewVerifier()), resource: "https://elsewhere.example/mcp"));
        error["error"].ShouldBe("invalid_target");
    }

    [Fact]
    public async Task AuthorizationRequest_WithAnUnregisteredRedirectUri_IsNotRedirected()
    {
        var clientId = await OAuth.RegisterAsync();
        using var user = new BrowserlessUser();
        var response = await user.GetAsync(OAuth.AuthorizeUrl(clientId, OAuthDriver.Challenge(OAuthDriver.NewVerifier()), redirectUri: "http://127.0.0.1:1/evil"));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.Location.ShouldBeNull();
    }

    [Fact]
    public async Task Code_WithWrongVerifier_UsedTwice_OrByAnotherClient_IsRefused()
    {
        var clientId = await OAuth.RegisterAsync();
        var otherClient = await OAuth.RegisterAsync("Other client");
        var verifier = OAuthDriver.NewVerifier();
        using var user = new BrowserlessUser();
        var code = OAuthDriver.CodeOf(await OAuth.SignInAndApproveAsync(user, OAuth.AuthorizeUrl(clientId, OAuthDriver.Challenge(verifier))));

        await OAuthDriver.OAuthErrorAsync(await OAuth.RedeemAsync(clientId, code, OAuthDriver.NewVerifier()), "invalid_grant");
        await OAuthDriver.OAuthErrorAsync(await OAuth.RedeemAsync(otherClient, code, verifier), "invalid_grant");
        await OAuthDriver.OAuthErrorAsync(await OAuth.RedeemAsync(clientId, code, verifier, resource: "https://elsewhere.example/mcp"), "invalid_target");
    }

    [Fact]
    public async Task Code_UsedTwice_IsRefused_AndRevokesWhatTheFirstUseIssued()
    {
        var clientId = await OAuth.RegisterAsync();
        var verifier = OAuthDriver.NewVerifier();
        using var user = new BrowserlessUser();
        var code = OAuthDriver.CodeOf(await OAuth.SignInAndApproveAsync(user, OAuth.AuthorizeUrl(clientId, OAuthDriver.Challenge(verifier))));
        var first = await (await OAuth.RedeemAsync(clientId, code, verifier)).ShouldBeJsonAsync();

        using (var before = await McpAsync(first.GetProperty("access_token").GetString()!))
        {
            before.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await OAuthDriver.OAuthErrorAsync(await OAuth.RedeemAsync(clientId, code, verifier), "invalid_grant");
        await OAuthDriver.OAuthErrorAsync(await OAuth.TokenAsync(("grant_type", "refresh_token"), ("client_id", clientId), ("refresh_token", first.GetProperty("refresh_token").GetString()!)), "invalid_grant");
        using var after = await McpAsync(first.GetProperty("access_token").GetString()!);
        await after.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        after.Headers.WwwAuthenticate.ToString().ShouldContain("error=\"invalid_token\"");
    }

    [Fact]
    public async Task Code_PresentedByAnotherClient_IsRefused_EvenWithTheRightVerifier()
    {
        var clientId = await OAuth.RegisterAsync();
        var otherClient = await OAuth.RegisterAsync("Other client");
        var verifier = OAuthDriver.NewVerifier();
        using var user = new BrowserlessUser();
        var code = OAuthDriver.CodeOf(await OAuth.SignInAndApproveAsync(user, OAuth.AuthorizeUrl(clientId, OAuthDriver.Challenge(verifier))));

        await OAuthDriver.OAuthErrorAsync(await OAuth.RedeemAsync(otherClient, code, verifier), "invalid_grant");
    }

    [Fact]
    public async Task RefreshToken_OfAnotherClient_IsRefused()
    {
        var (_, _, refresh) = await OAuth.FullFlowAsync();
        var otherClient = await OAuth.RegisterAsync("Other client");
        await OAuthDriver.OAuthErrorAsync(await OAuth.TokenAsync(("grant_type", "refresh_token"), ("client_id", otherClient), ("refresh_token", refresh)), "invalid_grant");
    }

    [Fact]
    public async Task Mcp_WithATokenAdoBridgeDidNotIssue_Answers401InvalidToken()
    {
        using var response = await McpAsync("eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJodHRwczovL2Vsc2V3aGVyZS5leGFtcGxlL21jcCJ9.c2lnbmF0dXJl");
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        response.Headers.WwwAuthenticate.ToString().ShouldContain("resource_metadata=");
    }

    [Theory]
    [InlineData("http://evil.example/callback", "invalid_redirect_uri")]
    [InlineData("javascript:alert(1)", "invalid_redirect_uri")]
    [InlineData("https://app.example/cb#frag", "invalid_redirect_uri")]
    public async Task Registration_WithAnUnsafeRedirectUri_IsRefused(string redirectUri, string error)
    {
        using var http = new HttpClient();
        var response = await http.PostAsJsonAsync(OAuth.Base + "/oauth/register", new { client_name = "x", redirect_uris = new[] { redirectUri } });
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, error);
        problem.GetProperty("error").GetString().ShouldBe(error);
    }

    [Fact]
    public async Task Registration_OfAConfidentialClientOrImplicitFlow_IsRefused()
    {
        using var http = new HttpClient();
        await (await http.PostAsJsonAsync(OAuth.Base + "/oauth/register", new { redirect_uris = new[] { OAuthDriver.RedirectUri }, token_endpoint_auth_method = "client_secret_basic" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_client_metadata");
        await (await http.PostAsJsonAsync(OAuth.Base + "/oauth/register", new { redirect_uris = new[] { OAuthDriver.RedirectUri }, grant_types = new[] { "implicit" } }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_client_metadata");
        await (await http.PostAsync(OAuth.Base + "/oauth/register", new StringContent("not json", System.Text.Encoding.UTF8, "application/json")))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_client_metadata");
    }

    /// <summary>An `initialize` on /mcp with the bearer token.</summary>
    private async Task<HttpResponseMessage> McpAsync(string token)
    {
        using var http = new HttpClient();
        const string initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, OAuth.Resource) { Content = new StringContent(initialize, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return await http.SendAsync(request);
    }

    /// <summary>
    /// The error of a refused authorization request. OpenIddict answers a malformed request itself (400, `error:…` lines),
    /// and sends a refusal made after the request was checked back to the registered redirect URI; either way the user
    /// is never signed in and no code is issued.
    /// </summary>
    private async Task<System.Collections.Specialized.NameValueCollection> AuthorizeErrorAsync(string url)
    {
        using var user = new BrowserlessUser();
        var response = await user.GetAsync(url);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            var lines = new System.Collections.Specialized.NameValueCollection();
            foreach (var line in user.LastBody.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                lines[line[..colon]] = line[(colon + 1)..];
            }

            return lines;
        }

        var location = new Uri(user.Location(url));
        location.ToString().ShouldStartWith(OAuthDriver.RedirectUri);
        location.Query.ShouldNotContain("code=");
        return System.Web.HttpUtility.ParseQueryString(location.Query);
    }
}
