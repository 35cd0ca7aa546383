using System.Net;
using AdoBridge.Emulator;
using Microsoft.AspNetCore.WebUtilities;

namespace AdoBridge.IntegrationTests.Emulator;

public sealed class LegacyOAuthTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    private const string Callback = "https://localhost:5001/oauth/callback";

    private LegacyAppRegistration Register()
    {
        var app = new LegacyAppRegistration(Guid.NewGuid().ToString().ToUpperInvariant(), "Fabrikam Legacy Bot", "legacy-secret-" + Guid.NewGuid(), Callback, ["vso.project", "vso.code"]);
        fx.State.RegisterLegacyApp(app);
        return app;
    }

    private static string AuthorizeUrl(LegacyAppRegistration app, string callback = Callback) =>
        QueryHelpers.AddQueryString($"{EmulatorDefaults.VsspsAppHost}/oauth2/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = app.AppId, ["response_type"] = "Assertion", ["state"] = "s1", ["scope"] = "vso.project", ["redirect_uri"] = callback,
        });

    private async Task<string> GetCodeAsync(LegacyAppRegistration app)
    {
        var page = await (await fx.Http.GetAsync(AuthorizeUrl(app))).Content.ReadAsStringAsync();
        var consent = await (await Forms.SubmitAsync(fx.Http, page, "pick-account", ("login", EmulatorDefaults.AliceUpn))).Content.ReadAsStringAsync();
        var redirect = await Forms.SubmitAsync(fx.Http, consent, "consent-form", ("consent", "accept"));
        redirect.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        redirect.Headers.Location!.GetLeftPart(UriPartial.Path).ShouldBe(Callback);
        return Forms.RedirectQuery(redirect)["code"].ToString();
    }

    private Task<HttpResponseMessage> TokenAsync(LegacyAppRegistration app, string grantType, string assertion) =>
        fx.Http.PostAsync($"{EmulatorDefaults.VsspsAppHost}/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = app.ClientSecret,
            ["grant_type"] = grantType,
            ["assertion"] = assertion,
            ["redirect_uri"] = Callback,
        }));

    [Fact]
    public async Task LegacyFlow_CodeExchangeAndRefresh_RotateRefreshTokens_AndTokensCallAzureDevOps()
    {
        var app = Register();
        var tokens = await Json.OkAsync(await TokenAsync(app, "urn:ietf:params:oauth:grant-type:jwt-bearer", await GetCodeAsync(app)));
        tokens.GetProperty("token_type").GetString().ShouldBe("jwt-bearer");
        tokens.GetProperty("expires_in").GetString().ShouldBe("3599");

        var refreshed = await Json.OkAsync(await TokenAsync(app, "refresh_token", tokens.GetProperty("refresh_token").GetString()!));
        var call = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(), bearer: refreshed.GetProperty("access_token").GetString()));

        refreshed.GetProperty("refresh_token").GetString().ShouldNotBe(tokens.GetProperty("refresh_token").GetString());
        call.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task LegacyToken_WrongContentType_Is400()
    {
        var response = await fx.Http.PostAsync($"{EmulatorDefaults.VsspsAppHost}/oauth2/token", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task LegacyAuthorize_CallbackNotRegistered_Is400Page()
    {
        var app = Register();

        var response = await fx.Http.GetAsync(AuthorizeUrl(app, "https://localhost:5001/elsewhere"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
    }

    [Fact]
    public async Task LegacyGrantRevoked_RefreshIs401_AndAccessTokenStopsWorking()
    {
        var app = Register();
        var tokens = await Json.OkAsync(await TokenAsync(app, "urn:ietf:params:oauth:grant-type:jwt-bearer", await GetCodeAsync(app)));

        fx.State.RevokeGrant(EmulatorDefaults.AliceUpn, app.AppId);
        var refresh = await TokenAsync(app, "refresh_token", tokens.GetProperty("refresh_token").GetString()!);
        var call = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(), bearer: tokens.GetProperty("access_token").GetString(), suppressRedirect: true));

        refresh.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        call.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task OrganizationOAuthPolicyOff_LegacyTokenGetsTF400813_WhilePatStillWorks()
    {
        var app = Register();
        var tokens = await Json.OkAsync(await TokenAsync(app, "urn:ietf:params:oauth:grant-type:jwt-bearer", await GetCodeAsync(app)));
        var pat = fx.State.CreatePat(EmulatorDefaults.AliceUpn, EmulatorDefaults.LabsOrganization, ["vso.project"]);

        fx.State.SetOAuthPolicy(EmulatorDefaults.LabsOrganization, false);
        var oauth = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(EmulatorDefaults.LabsOrganization), bearer: tokens.GetProperty("access_token").GetString()));
        var withPat = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(EmulatorDefaults.LabsOrganization), pat: pat));
        fx.State.SetOAuthPolicy(EmulatorDefaults.LabsOrganization, true);

        oauth.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var error = await Json.ReadAsync(oauth);
        error.GetProperty("message").GetString()!.ShouldStartWith("TF400813: The user '");
        error.GetProperty("typeKey").GetString().ShouldBe("UnauthorizedRequestException");
        withPat.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
