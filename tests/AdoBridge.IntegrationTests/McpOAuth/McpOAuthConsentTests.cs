using System.Net;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.McpOAuth;

/// <summary>
/// Consent remembered per registered client: the first sign-in of a client asks; the same client's next authorization
/// in the same browser gets a code at once for the same connection (no sign-in, no new connection, no consent page);
/// another client is asked; a revoked grant, or prompt=consent, asks again.
/// </summary>
public sealed class McpOAuthConsentTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private OAuthDriver OAuth => new(fixture.Server);

    [Fact]
    public async Task SameClientAgain_GetsACodeForTheSameConnection_WithoutSignInOrConsent()
    {
        var clientId = await OAuth.RegisterAsync("Claude Code");
        using var user = new BrowserlessUser();
        await RedeemAsync(clientId, user, signIn: true);
        var connections = await ConnectionCountAsync();

        await RedeemAsync(clientId, user, signIn: false);

        (await ConnectionCountAsync()).ShouldBe(connections, "no new connection");
        var tokens = await TokensAsync(clientId);
        tokens.Count(t => t.GetProperty("type").GetString() == "access_token").ShouldBe(2);
        tokens.Select(t => t.GetProperty("connectionId").GetString()).Distinct().Count().ShouldBe(1, "both authorizations act as the same connection");
        tokens.Select(t => t.GetProperty("grantId").GetString()).Distinct().Count().ShouldBe(1, "the second authorization uses the remembered grant");
    }

    [Fact]
    public async Task AnotherClient_InTheSameBrowser_IsAsked()
    {
        var clientId = await OAuth.RegisterAsync("Claude Code");
        using var user = new BrowserlessUser();
        await RedeemAsync(clientId, user, signIn: true);

        var other = await OAuth.RegisterAsync("Another client");
        var url = OAuth.AuthorizeUrl(other, OAuthDriver.Challenge(OAuthDriver.NewVerifier()));
        await user.GetAsync(url);
        user.Location(url).ShouldStartWith(OAuth.Base + "/connect/");
    }

    [Fact]
    public async Task ADenial_WhenAskedAgain_IsNotOverriddenByTheEarlierApproval()
    {
        var clientId = await OAuth.RegisterAsync("Claude Code");
        using var user = new BrowserlessUser();
        await RedeemAsync(clientId, user, signIn: true);

        var denied = await OAuth.SignInAndApproveAsync(user, OAuth.AuthorizeUrl(clientId, OAuthDriver.Challenge(OAuthDriver.NewVerifier())) + "&prompt=consent", approve: false);
        System.Web.HttpUtility.ParseQueryString(denied.Query)["error"].ShouldBe("access_denied");

        var url = OAuth.AuthorizeUrl(clientId, OAuthDriver.Challenge(OAuthDriver.NewVerifier()));
        await user.GetAsync(url);
        user.Location(url).ShouldStartWith(OAuth.Base + "/connect/");
    }

    [Fact]
    public async Task AfterRevocation_OrWithPromptConsent_TheSameClientIsAskedAgain()
    {
        var clientId = await OAuth.RegisterAsync("Claude Code");
        using var user = new BrowserlessUser();
        await RedeemAsync(clientId, user, signIn: true);

        var url = OAuth.AuthorizeUrl(clientId, OAuthDriver.Challenge(OAuthDriver.NewVerifier())) + "&prompt=consent";
        await user.GetAsync(url);
        user.Location(url).ShouldStartWith(OAuth.Base + "/connect/");

        using var api = fixture.Server.Client();
        var id = (await TokensAsync(clientId)).First().GetProperty("id").GetString();
        (await api.DeleteAsync($"/v1/mcp/tokens/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        url = OAuth.AuthorizeUrl(clientId, OAuthDriver.Challenge(OAuthDriver.NewVerifier()));
        await user.GetAsync(url);
        user.Location(url).ShouldStartWith(OAuth.Base + "/connect/");
        await RedeemAsync(clientId, user, signIn: true);
    }

    /// <summary>One authorization by the client in this browser, redeemed. With <paramref name="signIn"/> the user signs in and approves; without, the code must come at once.</summary>
    private async Task RedeemAsync(string clientId, BrowserlessUser user, bool signIn)
    {
        var verifier = OAuthDriver.NewVerifier();
        var url = OAuth.AuthorizeUrl(clientId, OAuthDriver.Challenge(verifier));
        Uri redirect;
        if (signIn)
        {
            redirect = await OAuth.SignInAndApproveAsync(user, url);
        }
        else
        {
            var response = await user.GetAsync(url);
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect, user.LastBody);
            redirect = new Uri(user.Location(url));
            redirect.ToString().ShouldStartWith(OAuthDriver.RedirectUri);
        }

        await (await OAuth.RedeemAsync(clientId, OAuthDriver.CodeOf(redirect), verifier)).ShouldBeJsonAsync();
    }

    private async Task<List<JsonElement>> TokensAsync(string clientId)
    {
        using var api = fixture.Server.Client();
        var tokens = await (await api.GetAsync("/v1/mcp/tokens")).ShouldBeJsonAsync();
        return tokens.GetProperty("data").EnumerateArray().Where(t => t.GetProperty("clientId").GetString() == clientId).ToList();
    }

    private async Task<int> ConnectionCountAsync()
    {
        using var api = fixture.Server.Client();
        var connections = await (await api.GetAsync("/v1/connections?endUserId=mcp-oauth&limit=500")).ShouldBeJsonAsync();
        return connections.GetProperty("items").GetArrayLength();
    }
}
