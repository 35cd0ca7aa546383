using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Connect;

public sealed class EntraConnectFlowTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private AdoBridgeServer Server => fixture.Server;

    private string ReturnUrl => new Uri(Server.BaseUrl, "/product/return").ToString();

    [Fact]
    public async Task Connect_EntraSignIn_CreatesActiveConnectionAndReturnsToProduct()
    {
        var id = await Server.ConnectWithMicrosoftAsync("user-42", organizations: ["fabrikam", "fabrikam-labs"]);

        using var api = Server.Client();
        var connection = await (await api.GetAsync($"/v1/connections/{id}")).ShouldBeJsonAsync();
        connection.GetProperty("status").GetString().ShouldBe("active");
        connection.GetProperty("endUserId").GetString().ShouldBe("user-42");
        connection.GetProperty("authType").GetString().ShouldBe("entra");
        connection.GetProperty("organizations").EnumerateArray().Select(o => o.GetString()).ShouldBe(["fabrikam", "fabrikam-labs"]);
        connection.GetProperty("identity").GetProperty("email").GetString().ShouldBe("alice@fabrikam.onmicrosoft.com");
        connection.ToString().ShouldNotContain("refreshToken");
        connection.ToString().ShouldNotContain("accessToken\"");

        var events = await api.GetStringAsync($"/v1/events?connectionId={id}");
        events.ShouldContain("connection.created");

        // The access token AdoBridge hands out works against Azure DevOps (the emulator).
        var token = await (await api.PostAsync($"/v1/connections/{id}/access-token", null)).ShouldBeJsonAsync();
        token.GetProperty("tokenType").GetString().ShouldBe("Bearer");
        using var ado = new HttpClient();
        ado.DefaultRequestHeaders.Authorization = new("Bearer", token.GetProperty("accessToken").GetString());
        var orgUrl = (await Server.DetailsAsync()).GetProperty("organizationUrl").GetString();
        (await ado.GetAsync($"{orgUrl}/_apis/projects?api-version=7.1")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Connect_WithoutReturnUrl_EndsOnAClearPage()
    {
        using var api = Server.Client();
        var url = (await api.CreateConnectSessionAsync(new { endUserId = "no-return" })).GetProperty("url").GetString()!;
        using var user = new BrowserlessUser();
        await user.SignInAsync(url, "bob@fabrikam.onmicrosoft.com");
        await user.GetAsync(user.Location(url));
        await user.PostFormAsync(url + "/organizations", [new("organizations", "fabrikam")]);
        var done = user.Location(url);
        done.ShouldEndWith("/done");
        (await user.GetAsync(done)).StatusCode.ShouldBe(HttpStatusCode.OK);
        user.LastBody.ShouldContain("data-testid=\"connected\"");
    }

    [Fact]
    public async Task Connect_ConsentDeclined_ExplainsAndOffersRetryAndWayBack()
    {
        using var api = Server.Client();
        var session = await api.CreateConnectSessionAsync(new { endUserId = "decliner", returnUrl = ReturnUrl });
        var url = session.GetProperty("url").GetString()!;
        using var emulator = await Server.EmulatorAdminAsync();
        var clientId = (await (await api.GetAsync("/v1/admin/apps/sandbox")).ShouldBeJsonAsync()).GetProperty("clientId").GetString();
        await emulator.PostAsJsonAsync("consents/remove", new { userPrincipalName = "carol@contoso.onmicrosoft.com", clientId });
        using var user = new BrowserlessUser();

        await user.SignInAsync(url, "carol@contoso.onmicrosoft.com", acceptConsent: false);

        user.Last!.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        user.LastBody.ShouldContain("You declined access");
        user.LastBody.ShouldContain($"href=\"/connect/{url.Split('/')[^1]}\"");
        user.LastBody.ShouldContain("error=consent_declined");

        // The product (or `adobridge connect`) waiting on the link learns why, without the link in the answer.
        var state = await (await api.GetAsync($"/v1/connect-sessions/{session.GetProperty("id").GetString()}")).ShouldBeJsonAsync();
        state.GetProperty("status").GetString().ShouldBe("failed");
        state.GetProperty("errorCode").GetString().ShouldBe("consent_declined");
        state.GetProperty("endUserId").GetString().ShouldBe("decliner");
        state.TryGetProperty("url", out _).ShouldBeFalse();
        await (await api.GetAsync("/v1/connect-sessions/cs_nosuchsession")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "connect_session_not_found");
    }

    [Fact]
    public async Task Callback_ReplayedState_IsRefused()
    {
        using var api = Server.Client();
        var url = (await api.CreateConnectSessionAsync(new { endUserId = "replay" })).GetProperty("url").GetString()!;
        using var user = new BrowserlessUser();
        var callback = await user.SignInAsync(url, "alice@fabrikam.onmicrosoft.com");
        user.Last!.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        await user.GetAsync(callback);

        user.Last.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        user.LastBody.ShouldContain("does not match any connect request");
    }

    [Fact]
    public async Task Callback_ForgedState_IsRefused()
    {
        using var user = new BrowserlessUser();
        await user.GetAsync(new Uri(Server.BaseUrl, "/connect/callback?code=abc&state=forged-state-value-0123456789abcdef").ToString());
        user.Last!.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        user.LastBody.ShouldContain("does not match any connect request");
    }

    [Fact]
    public async Task Callback_FromAnotherBrowser_IsRefused()
    {
        using var api = Server.Client();
        var url = (await api.CreateConnectSessionAsync(new { endUserId = "two-browsers" })).GetProperty("url").GetString()!;
        using var victim = new BrowserlessUser();
        await victim.GetAsync(url);
        await victim.PostFormAsync(url + "/start", [new("app", "sandbox")]);
        var authorize = victim.Location(url);
        await victim.GetAsync(authorize);
        var (action, ctx) = victim.Form(authorize, "pick-account");
        await victim.PostFormAsync(action, [new("ctx", ctx), new("login", "alice@fabrikam.onmicrosoft.com")]);
        if (victim.LastBody.Contains("consent-form", StringComparison.Ordinal))
        {
            var (consentAction, consentCtx) = victim.Form(action, "consent-form");
            await victim.PostFormAsync(consentAction, [new("ctx", consentCtx), new("consent", "accept")]);
        }

        var callback = victim.Location(action);

        // An attacker who captured the callback URL replays it in their own browser.
        using var attacker = new BrowserlessUser();
        await attacker.GetAsync(callback);

        attacker.Last!.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        attacker.LastBody.ShouldContain("another browser");
        using var list = Server.Client();
        (await list.GetStringAsync("/v1/connections?endUserId=two-browsers")).ShouldContain("\"items\":[]");
    }

    [Fact]
    public async Task Callback_ReusedAuthorizationCode_IsRefusedByMicrosoft()
    {
        using var api = Server.Client();
        var first = (await api.CreateConnectSessionAsync(new { endUserId = "code-reuse-1" })).GetProperty("url").GetString()!;
        using var user = new BrowserlessUser();
        var callback = await user.SignInAsync(first, "alice@fabrikam.onmicrosoft.com");
        var code = System.Web.HttpUtility.ParseQueryString(new Uri(callback).Query)["code"];

        // A second flow in the same browser gets a fresh, valid state; the old code is sent with it.
        var second = (await api.CreateConnectSessionAsync(new { endUserId = "code-reuse-2" })).GetProperty("url").GetString()!;
        await user.GetAsync(second);
        await user.PostFormAsync(second + "/start", [new("app", "sandbox")]);
        var state = System.Web.HttpUtility.ParseQueryString(new Uri(user.Location(second)).Query)["state"];
        await user.GetAsync(new Uri(Server.BaseUrl, $"/connect/callback?code={Uri.EscapeDataString(code!)}&state={Uri.EscapeDataString(state!)}").ToString());

        user.Last!.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        user.LastBody.ShouldContain("AADSTS54005");
    }

    [Fact]
    public async Task StartFlow_SendsPkceS256AndOfflineAccess()
    {
        using var api = Server.Client();
        var url = (await api.CreateConnectSessionAsync(new { endUserId = "pkce" })).GetProperty("url").GetString()!;
        using var user = new BrowserlessUser();
        await user.GetAsync(url);
        await user.PostFormAsync(url + "/start", [new("app", "sandbox")]);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(user.Location(url)).Query);

        query["code_challenge_method"].ShouldBe("S256");
        query["code_challenge"]!.Length.ShouldBe(43);
        query["scope"]!.Split(' ').ShouldBe(["499b84ac-1321-427f-aa17-267ca6975798/user_impersonation", "offline_access"]);
        query["state"]!.Length.ShouldBeGreaterThanOrEqualTo(43);
        query["redirect_uri"].ShouldBe(new Uri(Server.BaseUrl, "/connect/callback").ToString());
    }

    [Fact]
    public async Task ConnectSession_ReturnUrlOffAllowList_Is400()
    {
        using var api = Server.Client();
        var response = await api.PostAsJsonAsync("/v1/connect-sessions", new { endUserId = "x", returnUrl = "https://evil.example/steal" });
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "return_url_not_allowed");
        problem.GetProperty("detail").GetString()!.ShouldContain("allowedReturnUrls");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"endUserId\":\"\"}")]
    public async Task ConnectSession_WithoutEndUser_Is400(string body)
    {
        using var api = Server.Client();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        await (await api.PostAsync("/v1/connect-sessions", content)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_connect_session");
    }

    [Fact]
    public async Task ConnectSession_Completed_CannotBeUsedAgain()
    {
        using var api = Server.Client();
        var url = (await api.CreateConnectSessionAsync(new { endUserId = "once" })).GetProperty("url").GetString()!;
        using var user = new BrowserlessUser();
        await user.SignInAsync(url, "alice@fabrikam.onmicrosoft.com");
        await user.PostFormAsync(url + "/organizations", [new("organizations", "fabrikam")]);

        await user.GetAsync(url);

        user.Last!.StatusCode.ShouldBe(HttpStatusCode.Gone);
        user.LastBody.ShouldContain("already used");
    }

    [Fact]
    public async Task ConnectSession_UnknownToken_Is404Page()
    {
        using var user = new BrowserlessUser();
        await user.GetAsync(new Uri(Server.BaseUrl, "/connect/not-a-real-session-token-0123456789").ToString());
        user.Last!.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        user.LastBody.ShouldContain("not valid");
    }

    [Fact]
    public async Task Organizations_NotOffered_AreRefused()
    {
        using var api = Server.Client();
        var url = (await api.CreateConnectSessionAsync(new { endUserId = "sneaky" })).GetProperty("url").GetString()!;
        using var user = new BrowserlessUser();
        await user.SignInAsync(url, "bob@fabrikam.onmicrosoft.com");

        await user.PostFormAsync(url + "/organizations", [new("organizations", "fabrikam-labs")]);

        user.Last!.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        user.LastBody.ShouldContain("not offered");
    }

    [Fact]
    public async Task Reconnect_KeepsTheConnectionId()
    {
        var id = await Server.ConnectWithMicrosoftAsync("reconnector");
        var again = await Server.ConnectWithMicrosoftAsync("reconnector", reconnect: id);
        again.ShouldBe(id);
        using var api = Server.Client();
        (await api.GetStringAsync($"/v1/events?connectionId={id}")).ShouldContain("connection.reconnected");
    }

    [Fact]
    public async Task ConnectionFromAnotherEnvironment_Is404()
    {
        var id = await Server.ConnectWithMicrosoftAsync("isolated");
        using var admin = Server.Client();
        (await admin.PostAsJsonAsync("/v1/admin/environments", new { id = "other-env" })).EnsureSuccessStatusCode();
        var other = await (await admin.PostAsJsonAsync("/v1/admin/api-keys", new { name = "other", environment = "other-env" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        using var otherClient = Server.Client(other.GetProperty("key").GetString());

        await (await otherClient.GetAsync($"/v1/connections/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "connection_not_found");
        await (await otherClient.PostAsync($"/v1/connections/{id}/access-token", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "connection_not_found");
        await (await otherClient.DeleteAsync($"/v1/connections/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "connection_not_found");
        (await otherClient.GetStringAsync("/v1/connections")).ShouldNotContain(id);
        (await admin.GetAsync($"/v1/connections/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Delete_RemovesConnectionAndRecordsEvent()
    {
        var id = await Server.ConnectWithMicrosoftAsync("leaver");
        using var api = Server.Client();

        (await api.DeleteAsync($"/v1/connections/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await api.GetAsync($"/v1/connections/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "connection_not_found");
        var events = await (await api.GetAsync($"/v1/events?connectionId={id}&type=connection.deleted")).ShouldBeJsonAsync();
        events.GetProperty("items").GetArrayLength().ShouldBe(1);
    }
}
