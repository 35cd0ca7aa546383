using System.Net;
using AdoBridge.Emulator;

namespace AdoBridge.IntegrationTests.Emulator;

public sealed class EntraAuthorizationCodeTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task AuthorizationCodeWithPkce_FollowingTheHtmlForms_ReturnsTokensThatCallAzureDevOps()
    {
        var app = new EntraTestApp(fx).Register();
        var page = await (await fx.Http.GetAsync(app.AuthorizeUrl(EntraTestApp.DevOpsScope))).Content.ReadAsStringAsync();
        page.ShouldContain("Pick an account");
        page.ShouldContain($"data-upn=\"{EmulatorDefaults.AliceUpn}\"");

        var tokens = await app.SignedInTokensAsync();

        tokens.GetProperty("token_type").GetString().ShouldBe("Bearer");
        tokens.GetProperty("expires_in").GetInt32().ShouldBe(3599);
        tokens.GetProperty("ext_expires_in").GetInt32().ShouldBe(3599);
        tokens.GetProperty("scope").GetString()!.ShouldContain($"{EmulatorDefaults.AzureDevOpsResourceId}/user_impersonation");
        tokens.GetProperty("refresh_token").GetString().ShouldNotBeNullOrEmpty();
        Json.Claims(tokens.GetProperty("id_token").GetString()!).GetProperty("aud").GetString().ShouldBe(app.ClientId);
        var claims = Json.Claims(tokens.GetProperty("access_token").GetString()!);
        claims.GetProperty("aud").GetString().ShouldBe(EmulatorDefaults.AzureDevOpsResourceId);
        claims.GetProperty("oid").GetString().ShouldBe(EmulatorDefaults.AliceId);
        claims.GetProperty("tid").GetString().ShouldBe(EmulatorDefaults.TenantId);
        claims.GetProperty("upn").GetString().ShouldBe(EmulatorDefaults.AliceUpn);
        claims.GetProperty("jti").GetString().ShouldNotBeNullOrEmpty();

        var projects = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(), bearer: tokens.GetProperty("access_token").GetString()));
        projects.StatusCode.ShouldBe(HttpStatusCode.OK);
        projects.Headers.GetValues("X-VSS-ResourceTenant").Single().ShouldBe(EmulatorDefaults.TenantId);
    }

    [Fact]
    public async Task SecondSignIn_AfterConsent_SkipsTheConsentPage()
    {
        var app = new EntraTestApp(fx).Register();
        await app.GetCodeAsync(EmulatorDefaults.BobUpn);

        var page = await (await fx.Http.GetAsync(app.AuthorizeUrl(EntraTestApp.DevOpsScope))).Content.ReadAsStringAsync();
        var response = await Forms.SubmitAsync(fx.Http, page, "pick-account", ("login", EmulatorDefaults.BobUpn));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        Forms.RedirectQuery(response).ShouldContainKey("code");
    }

    [Fact]
    public async Task CodeRedeemedTwice_SecondRedemption_IsInvalidGrant54005()
    {
        var app = new EntraTestApp(fx).Register();
        var code = await app.GetCodeAsync(EmulatorDefaults.AliceUpn);
        (await app.RedeemAsync(code)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var again = await app.RedeemAsync(code);

        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = await Json.ReadAsync(again);
        error.GetProperty("error").GetString().ShouldBe("invalid_grant");
        error.GetProperty("error_codes")[0].GetInt32().ShouldBe(54005);
        error.GetProperty("error_description").GetString()!.ShouldStartWith("AADSTS54005: ");
        error.GetProperty("error_description").GetString()!.ShouldContain("Trace ID: ");
        error.GetProperty("correlation_id").GetString().ShouldNotBeNullOrEmpty();
        error.GetProperty("error_uri").GetString()!.ShouldEndWith("code=54005");
    }

    [Theory]
    [InlineData("wrong-verifier-wrong-verifier-wrong-verifier-1234", 50148)]
    [InlineData(null, 501481)]
    public async Task CodeWithPkce_WrongOrMissingVerifier_IsInvalidGrant(string? verifier, int aadsts)
    {
        var app = new EntraTestApp(fx).Register();
        var code = await app.GetCodeAsync(EmulatorDefaults.AliceUpn);

        var response = await app.RedeemAsync(code, verifier);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = await Json.ReadAsync(response);
        error.GetProperty("error").GetString().ShouldBe("invalid_grant");
        error.GetProperty("error_codes")[0].GetInt32().ShouldBe(aadsts);
    }

    [Fact]
    public async Task Authorize_RedirectUriNotRegistered_ShowsAadsts50011PageInsteadOfRedirecting()
    {
        var app = new EntraTestApp(fx).Register();

        var response = await fx.Http.GetAsync(app.AuthorizeUrl(EntraTestApp.DevOpsScope, redirectUri: "https://evil.example/cb"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.Location.ShouldBeNull();
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("data-error-code=\"AADSTS50011\"");
        html.ShouldContain("https://evil.example/cb");
    }

    [Fact]
    public async Task Token_RedirectUriDifferentFromAuthorize_IsInvalidGrant500112()
    {
        var app = new EntraTestApp(fx).Register();
        var code = await app.GetCodeAsync(EmulatorDefaults.AliceUpn);

        var response = await app.RedeemAsync(code, redirectUri: "http://127.0.0.1:5999/other");

        (await Json.ReadAsync(response)).GetProperty("error_codes")[0].GetInt32().ShouldBe(500112);
    }

    [Fact]
    public async Task Token_WrongSecret_Is401InvalidClient7000215NamingSecretValueNotId()
    {
        var app = new EntraTestApp(fx).Register();
        var code = await app.GetCodeAsync(EmulatorDefaults.AliceUpn);

        var response = await app.RedeemAsync(code, secret: app.SecretId);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var error = await Json.ReadAsync(response);
        error.GetProperty("error").GetString().ShouldBe("invalid_client");
        error.GetProperty("error_codes")[0].GetInt32().ShouldBe(7000215);
        error.GetProperty("error_description").GetString()!.ShouldContain("client secret value, not the client secret ID");
    }

    [Fact]
    public async Task Token_ExpiredSecret_Is401InvalidClient7000222()
    {
        var app = new EntraTestApp(fx).Register();
        fx.State.ExpireClientSecret(app.ClientId, app.SecretId);

        var response = await app.TokenAsync(new() { ["grant_type"] = "client_credentials", ["scope"] = $"{EmulatorDefaults.AzureDevOpsResourceId}/.default", ["client_secret"] = app.Secret });

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Json.ReadAsync(response)).GetProperty("error_codes")[0].GetInt32().ShouldBe(7000222);
    }

    [Fact]
    public async Task UnknownTenant_TokenEndpointAnswers90002_AndAuthorizeShowsErrorPage()
    {
        var app = new EntraTestApp(fx, tenant: "nosuchtenant.onmicrosoft.com").Register();

        var token = await app.TokenAsync(new() { ["grant_type"] = "client_credentials", ["client_secret"] = app.Secret });
        var page = await fx.Http.GetAsync(app.AuthorizeUrl(EntraTestApp.DevOpsScope));

        token.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Json.ReadAsync(token)).GetProperty("error_codes")[0].GetInt32().ShouldBe(90002);
        (await page.Content.ReadAsStringAsync()).ShouldContain("data-error-code=\"AADSTS90002\"");
    }

    [Fact]
    public async Task Token_UnknownClient_IsAadsts700016()
    {
        var app = new EntraTestApp(fx);

        var response = await app.TokenAsync(new() { ["grant_type"] = "client_credentials", ["client_secret"] = "x" });

        (await Json.ReadAsync(response)).GetProperty("error_codes")[0].GetInt32().ShouldBe(700016);
    }

    [Fact]
    public async Task ConsentCancelled_RedirectsWithAccessDeniedAndAadsts65004()
    {
        var app = new EntraTestApp(fx).Register();

        var response = await app.SignInAsync(EmulatorDefaults.AliceUpn, acceptConsent: false);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var query = Forms.RedirectQuery(response);
        query["error"].ToString().ShouldBe("access_denied");
        query["error_description"].ToString().ShouldBe("AADSTS65004: User declined to consent to access the app.");
        query["state"].ToString().ShouldBe("xyz");
    }

    [Fact]
    public async Task UserOfAnotherTenant_SigningIntoFabrikam_GetsAadsts50020()
    {
        var app = new EntraTestApp(fx).Register();

        var response = await app.SignInAsync(EmulatorDefaults.OutsiderUpn);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("data-error-code=\"AADSTS50020\"");
    }

    [Fact]
    public async Task GuestUser_TokenFromCommonIsRejectedByTheOrganization_TokenFromResourceTenantWorks()
    {
        var common = new EntraTestApp(fx, tenant: "common").Register();
        var home = await common.SignedInTokensAsync(EmulatorDefaults.GuestUpn);
        var resource = new EntraTestApp(fx).Register();
        var guest = await resource.SignedInTokensAsync(EmulatorDefaults.GuestUpn);

        var rejected = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(), bearer: home.GetProperty("access_token").GetString()));
        var accepted = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(), bearer: guest.GetProperty("access_token").GetString()));

        Json.Claims(home.GetProperty("access_token").GetString()!).GetProperty("tid").GetString().ShouldBe(EmulatorDefaults.GuestTenantId);
        rejected.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Json.ReadAsync(rejected)).GetProperty("message").GetString()!.ShouldStartWith("TF400813");
        accepted.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ClientCredentials_ReturnAppOnlyTokenWithoutRefreshToken_UsableOnceAddedToTheOrganization()
    {
        var app = new EntraTestApp(fx).Register();
        var tokens = await Json.OkAsync(await app.TokenAsync(new() { ["grant_type"] = "client_credentials", ["scope"] = $"{EmulatorDefaults.AzureDevOpsResourceId}/.default", ["client_secret"] = app.Secret }));
        var token = tokens.GetProperty("access_token").GetString();
        tokens.TryGetProperty("refresh_token", out _).ShouldBeFalse();
        Json.Claims(token!).GetProperty("idtyp").GetString().ShouldBe("app");

        var before = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(), bearer: token));
        fx.State.AddServicePrincipalToOrganization(EmulatorDefaults.Organization, app.ClientId);
        var after = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(), bearer: token));

        before.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        after.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
