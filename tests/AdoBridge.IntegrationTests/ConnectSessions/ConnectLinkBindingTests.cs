using System.Net;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.ConnectSessions;

/// <summary>
/// Opening a connect link changes nothing (a chat preview or mail scanner fetching it first does not take it over); the
/// browser is bound when the user presses a button; a callback from another browser is refused without using up the state.
/// </summary>
public sealed class ConnectLinkBindingTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    [Fact]
    public async Task LinkScannerFetchesTheLinkFirst_TheUserStillConnects()
    {
        var url = await NewLinkAsync("scanned");
        using (var scanner = new BrowserlessUser())
        {
            (await scanner.SendAsync(new HttpRequestMessage(HttpMethod.Head, url))).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await scanner.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
            scanner.Last!.Headers.Contains("Set-Cookie").ShouldBeFalse("opening the link must not bind a browser");
            (await scanner.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var user = new BrowserlessUser();
        await user.SignInAsync(url, "alice@fabrikam.onmicrosoft.com");
        (await user.GetAsync(user.Location(url))).StatusCode.ShouldBe(HttpStatusCode.OK, user.LastBody);
        await user.PostFormAsync(url + "/organizations", [new("organizations", "fabrikam")]);
        user.Location(url).ShouldContain("status=active");
    }

    [Fact]
    public async Task AnotherBrowserPressingContinueAfterTheUser_IsRefused_AndTheUserFinishes()
    {
        var url = await NewLinkAsync("two-browsers");
        using var user = new BrowserlessUser();
        await user.GetAsync(url);
        await user.PostFormAsync(url + "/start", [new("app", "sandbox")]);
        user.Last!.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        user.Last.Headers.GetValues("Set-Cookie").ShouldContain(c => c.StartsWith("adb_cs_", StringComparison.Ordinal));

        using var other = new BrowserlessUser();
        (await other.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        other.LastBody.ShouldContain("Continue in the browser you started in");
        (await other.PostFormAsync(url + "/start", [new("app", "sandbox")])).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        await user.SignInAsync(url, "alice@fabrikam.onmicrosoft.com");
        user.Location(url).ShouldEndWith("/organizations");
    }

    [Fact]
    public async Task CallbackFromAnotherBrowser_IsRefusedWithoutUsingUpTheState()
    {
        var url = await NewLinkAsync("stolen-callback");
        using var user = new BrowserlessUser();
        var callback = await user.SignInAsync(url, "alice@fabrikam.onmicrosoft.com", followCallback: false);

        using (var attacker = new BrowserlessUser())
        {
            (await attacker.GetAsync(callback)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            attacker.LastBody.ShouldContain("Continue in the browser you started in");
        }

        (await user.GetAsync(callback)).StatusCode.ShouldBe(HttpStatusCode.Redirect, user.LastBody);
        var picker = user.Location(url);
        picker.ShouldEndWith("/organizations");
        (await user.GetAsync(picker)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await user.PostFormAsync(url + "/organizations", [new("organizations", "fabrikam")]);
        user.Location(url).ShouldContain("status=active");

        // Used once by its browser, the state is gone: a replay is refused.
        (await user.GetAsync(callback)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        user.LastBody.ShouldContain("does not match any connect request in progress");
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("null")]
    public async Task PostFromAnotherOrigin_IsRefused_AndBindsNothing(string origin)
    {
        var url = await NewLinkAsync("cross-site");
        using var victim = new BrowserlessUser();
        using var request = new HttpRequestMessage(HttpMethod.Post, url + "/start") { Content = new FormUrlEncodedContent([new("app", "sandbox")]) };
        request.Headers.Add("Origin", origin);

        (await victim.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        victim.LastBody.ShouldContain("This request did not come from the connect page");
        victim.Last!.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        victim.Last.Headers.Contains("Set-Cookie").ShouldBeFalse();
        using var user = new BrowserlessUser();
        await user.SignInAsync(url, "alice@fabrikam.onmicrosoft.com");
        user.Location(url).ShouldEndWith("/organizations");
    }

    [Fact]
    public async Task CrossSitePostWithoutOrigin_IsRefusedByFetchMetadata()
    {
        var url = await NewLinkAsync("fetch-metadata");
        using var victim = new BrowserlessUser();
        using var request = new HttpRequestMessage(HttpMethod.Post, url + "/start") { Content = new FormUrlEncodedContent([new("app", "sandbox")]) };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        (await victim.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ConnectPages_SendReferrerOnlyToThemselves()
    {
        using var user = new BrowserlessUser();
        await user.GetAsync(await NewLinkAsync("referrer"));
        user.Last!.Headers.GetValues("Referrer-Policy").ShouldBe(["same-origin"]);
    }

    private async Task<string> NewLinkAsync(string endUserId)
    {
        using var api = fixture.Server.Client();
        var returnUrl = new Uri(fixture.Server.BaseUrl, "/product/return").ToString();
        return (await api.CreateConnectSessionAsync(new { endUserId, returnUrl })).GetProperty("url").GetString()!;
    }
}
