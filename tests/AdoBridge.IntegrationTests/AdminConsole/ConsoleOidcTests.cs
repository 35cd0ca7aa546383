using System.Net;
using AdoBridge.Emulator;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.Storage;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.IntegrationTests.AdminConsole;

/// <summary>
/// Sign-in with Microsoft (OpenID Connect against the emulator's Entra ID, over real HTTP): an invited e-mail address signs
/// in with the invitation's role and is linked by subject, so it signs in again after its e-mail address changed; nobody
/// else gets in (unknown e-mail, removed account); an answer with a wrong state or nonce, or replayed, is a page with a
/// message, never a 500; password sign-in stays as it was.
/// </summary>
public sealed class ConsoleOidcTests : IAsyncLifetime
{
    private const string ClientSecret = "console-oidc-secret~0123456789abcdef";
    private readonly string clientId = Guid.NewGuid().ToString();
    private EmulatorHost emulator = null!;
    private AdoBridgeServer server = null!;
    private ConsoleSession owner = null!;

    public async Task InitializeAsync()
    {
        emulator = await EmulatorHost.StartAsync();
        server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?>
        {
            ["AdoBridge:Console:Oidc:Authority"] = $"{emulator.BaseUrl}{EmulatorDefaults.LoginHost}/{EmulatorDefaults.TenantId}/v2.0",
            ["AdoBridge:Console:Oidc:ClientId"] = clientId,
            ["AdoBridge:Console:Oidc:ClientSecret"] = ClientSecret,
        });
        emulator.State.RegisterEntraApp(new EntraAppRegistration(EmulatorDefaults.TenantId, clientId, "AdoBridge console",
            [new EmulatorClientSecret("console", ClientSecret, null)], [server.BaseUrl + "console/sign-in/microsoft/callback"]));
        owner = new ConsoleSession(server.BaseUrl);
        (await owner.SetUpOwnerAsync(ConsoleSession.SetupToken(server))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    public async Task DisposeAsync()
    {
        owner.Dispose();
        await server.DisposeAsync();
        await emulator.DisposeAsync();
    }

    [Fact]
    public async Task InvitedEmail_SignsInWithMicrosoft_WithTheInvitedRole_AndAgainAfterItsEmailChanged()
    {
        var (signInStatus, signInPage) = await new ConsoleSession(server.BaseUrl).PageAsync("/console/sign-in");
        signInStatus.ShouldBe(HttpStatusCode.OK);
        signInPage.ShouldContain("Sign in with Microsoft");
        await InviteAsync("admin", "sandbox", "  Alice@Fabrikam.onmicrosoft.com ");

        var (status, page, alice) = await SignInWithMicrosoftAsync(EmulatorDefaults.AliceUpn, returnUrl: "/console/api-keys");
        status.ShouldBe(HttpStatusCode.OK, page);
        page.ShouldContain("Signed in as alice@fabrikam.onmicrosoft.com");
        page.ShouldContain("content=\"0;url=/console/api-keys\"");
        (await alice.PageAsync("/console/api-keys")).Status.ShouldBe(HttpStatusCode.OK);
        (await alice.PageAsync("/console/users")).Status.ShouldBe(HttpStatusCode.Forbidden, "the invitation made an admin, not an owner");

        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        var user = await db.ConsoleUsers.AsNoTracking().SingleAsync(u => u.UserName == EmulatorDefaults.AliceUpn);
        (user.Role, user.EnvironmentId).ShouldBe(("admin", "sandbox"));
        user.ExternalIssuer.ShouldBe($"{emulator.BaseUrl}{EmulatorDefaults.LoginHost}/{EmulatorDefaults.TenantId}/v2.0");
        user.ExternalSubject.ShouldBe(EmulatorDefaults.AliceId, "Entra's oid, the same in every app of the tenant");
        (await db.ConsoleInvites.AsNoTracking().SingleAsync()).UsedBy.ShouldBe(EmulatorDefaults.AliceUpn);
        (await db.ConsoleAudit.CountAsync(a => a.Action == "console.invite_accepted" && a.Actor == EmulatorDefaults.AliceUpn)).ShouldBe(1);

        // Alice's address changes in Entra: the link by subject still finds her account, with its name and role.
        var before = emulator.State.FindUser(EmulatorDefaults.AliceUpn)!;
        emulator.State.AddUser("alice.smith@fabrikam.onmicrosoft.com", before.DisplayName, before.TenantId, before.Organizations, before.GuestOfTenantIds, before.Id);
        var (again, againPage, aliceAgain) = await SignInWithMicrosoftAsync("alice.smith@fabrikam.onmicrosoft.com");
        again.ShouldBe(HttpStatusCode.OK, againPage);
        againPage.ShouldContain("Signed in as alice@fabrikam.onmicrosoft.com");
        (await aliceAgain.PageAsync("/console/api-keys")).Status.ShouldBe(HttpStatusCode.OK);
        (await db.ConsoleUsers.CountAsync()).ShouldBe(2);
        (await db.ConsoleAudit.CountAsync(a => a.Action == "console.sign_in" && a.Actor == EmulatorDefaults.AliceUpn && a.Detail!.Contains("linked account"))).ShouldBe(1);
    }

    [Fact]
    public async Task PasswordAccountOfTheSameEmail_IsLinkedOnFirstSignIn_AndItsPasswordStillWorks()
    {
        emulator.State.AddUser(ConsoleSession.OwnerName, "Olga Owner", EmulatorDefaults.TenantId);
        var (status, page, session) = await SignInWithMicrosoftAsync(ConsoleSession.OwnerName);
        status.ShouldBe(HttpStatusCode.OK, page);
        (await session.PageAsync("/console/users")).Status.ShouldBe(HttpStatusCode.OK, "the account's own role: owner");

        using var password = new ConsoleSession(server.BaseUrl);
        (await password.SignInAsync(ConsoleSession.OwnerPassword)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.ConsoleUsers.AsNoTracking().SingleAsync()).ExternalSubject.ShouldBe(emulator.State.FindUser(ConsoleSession.OwnerName)!.Id.ToString());
    }

    [Fact]
    public async Task UnknownEmail_IsRefusedWithAMessage_AndNoAccountIsMade()
    {
        var (status, page, session) = await SignInWithMicrosoftAsync(EmulatorDefaults.BobUpn);
        status.ShouldBe(HttpStatusCode.Forbidden);
        page.ShouldContain($"No console account or pending invitation is for {EmulatorDefaults.BobUpn}");
        page.ShouldContain("ask an owner to invite");
        (await session.PageAsync("/console")).Status.ShouldBe(HttpStatusCode.Redirect, "not signed in");

        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.ConsoleUsers.CountAsync()).ShouldBe(1);
        (await db.ConsoleAudit.CountAsync(a => a.Action == "console.external_sign_in_refused" && a.Actor == EmulatorDefaults.BobUpn)).ShouldBe(1);
    }

    [Fact]
    public async Task RemovedAccount_CannotSignInWithMicrosoftAgain()
    {
        await InviteAsync("owner", null, EmulatorDefaults.BobUpn);
        var (status, page, bob) = await SignInWithMicrosoftAsync(EmulatorDefaults.BobUpn);
        status.ShouldBe(HttpStatusCode.OK, page);

        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        var id = (await db.ConsoleUsers.AsNoTracking().SingleAsync(u => u.UserName == EmulatorDefaults.BobUpn)).Id;
        await owner.PageAsync("/console/users");
        (await owner.PostAsync($"/console/users/{id}/remove", [])).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bob.PageAsync("/console")).Status.ShouldBe(HttpStatusCode.Redirect, "the removed account's session ended");

        var (again, againPage, _) = await SignInWithMicrosoftAsync(EmulatorDefaults.BobUpn);
        again.ShouldBe(HttpStatusCode.Forbidden);
        againPage.ShouldContain("No console account or pending invitation is for");
        (await db.ConsoleUsers.CountAsync(u => u.UserName == EmulatorDefaults.BobUpn)).ShouldBe(0);
    }

    [Fact]
    public async Task WrongState_WrongNonce_Replay_AndDeclinedConsent_AreRefusedWithAPage()
    {
        await InviteAsync("owner", null, EmulatorDefaults.AliceUpn);

        var (badState, badStatePage, _) = await SignInWithMicrosoftAsync(EmulatorDefaults.AliceUpn, tamperCallback: url => Replace(url, "state", "forged"));
        badState.ShouldBe(HttpStatusCode.BadRequest);
        badStatePage.ShouldContain("does not belong to a sign-in started in this browser");

        var (badNonce, badNoncePage, _) = await SignInWithMicrosoftAsync(EmulatorDefaults.AliceUpn, tamperAuthorize: url => Replace(url, "nonce", "forged"));
        badNonce.ShouldBe(HttpStatusCode.BadRequest);
        badNoncePage.ShouldContain("its nonce differs");

        // The answer used in another browser (no flow cookie), and used twice in this one.
        string? callback = null;
        var (first, firstPage, session) = await SignInWithMicrosoftAsync(EmulatorDefaults.AliceUpn, tamperCallback: url => callback = url);
        first.ShouldBe(HttpStatusCode.OK, firstPage);
        using (var replay = await session.GetAsync(new Uri(callback!).PathAndQuery))
        {
            replay.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        using var stranger = new ConsoleSession(server.BaseUrl);
        var (elsewhere, elsewherePage) = await stranger.PageAsync(new Uri(callback!).PathAndQuery);
        elsewhere.ShouldBe(HttpStatusCode.BadRequest);
        elsewherePage.ShouldContain("Start again");

        var (declined, declinedPage, _) = await SignInWithMicrosoftAsync(EmulatorDefaults.BobUpn, acceptConsent: false);
        declined.ShouldBe(HttpStatusCode.Unauthorized);
        declinedPage.ShouldContain("Microsoft did not sign you in (access_denied");

        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        (await db.ConsoleAudit.CountAsync(a => a.Action == "console.sign_in" && a.Actor == EmulatorDefaults.AliceUpn)).ShouldBe(1);
    }

    [Fact]
    public async Task WithoutSettings_TheSignInPageHasNoMicrosoftButton_AndTheRoutesSaySo()
    {
        await using var plain = await AdoBridgeServer.StartAsync();
        using var session = new ConsoleSession(plain.BaseUrl);
        (await session.PageAsync("/console/sign-in")).Html.ShouldNotContain("Sign in with Microsoft");
        var (status, page) = await session.PageAsync("/console/sign-in/microsoft");
        status.ShouldBe(HttpStatusCode.NotFound);
        page.ShouldContain("Sign-in with Microsoft is not set up on this AdoBridge");
        (await session.PageAsync("/console/sign-in/microsoft/callback?code=x&state=y")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task MultiTenantAuthority_WithoutAllowedTenants_DoesNotStart()
    {
        var e = await Should.ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => AdoBridgeServer.StartAsync(new Dictionary<string, string?>
        {
            ["AdoBridge:Console:Oidc:Authority"] = "https://login.microsoftonline.com/organizations/v2.0",
            ["AdoBridge:Console:Oidc:ClientId"] = clientId,
            ["AdoBridge:Console:Oidc:ClientSecret"] = ClientSecret,
        }));
        e.Message.ShouldContain("AdoBridge:Console:Oidc:AllowedTenants is required");
    }

    /// <summary>The whole sign-in as a browser does it: the button, the emulator's account picker and consent, the callback.</summary>
    private async Task<(HttpStatusCode Status, string Html, ConsoleSession Session)> SignInWithMicrosoftAsync(
        string upn, string returnUrl = "/console", Func<string, string>? tamperAuthorize = null, Func<string, string>? tamperCallback = null, bool acceptConsent = true)
    {
        var session = new ConsoleSession(server.BaseUrl);
        using var browser = new BrowserlessUser(session.Cookies);
        var start = $"{server.BaseUrl}console/sign-in/microsoft?returnUrl={Uri.EscapeDataString(returnUrl)}";
        await browser.GetAsync(start);
        var authorize = browser.Location(start);
        authorize.ShouldContain("code_challenge_method=S256");
        authorize = tamperAuthorize?.Invoke(authorize) ?? authorize;
        (await browser.GetAsync(authorize)).StatusCode.ShouldBe(HttpStatusCode.OK, browser.Last!.Headers.Location?.ToString() ?? browser.LastBody);
        var (action, ctx) = browser.Form(authorize, "pick-account");
        await browser.PostFormAsync(action, [new("ctx", ctx), new("login", upn)]);
        if (browser.LastBody.Contains("consent-form", StringComparison.Ordinal))
        {
            var (consentAction, consentCtx) = browser.Form(action, "consent-form");
            await browser.PostFormAsync(consentAction, [new("ctx", consentCtx), new("consent", acceptConsent ? "accept" : "cancel")]);
            action = consentAction;
        }

        var callback = browser.Location(action);
        callback = tamperCallback?.Invoke(callback) ?? callback;
        var response = await browser.GetAsync(callback);
        return (response.StatusCode, browser.LastBody, session);
    }

    private async Task InviteAsync(string role, string? environment, string note)
    {
        await owner.PageAsync("/console/users");
        var fields = new Dictionary<string, string> { ["role"] = role, ["note"] = note };
        if (environment is not null)
        {
            fields["environment"] = environment;
        }

        using var response = await owner.PostAsync("/console/users/invite", fields);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static string Replace(string url, string name, string value)
    {
        var uri = new Uri(url);
        var query = QueryHelpers.ParseQuery(uri.Query).ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
        query[name] = value;
        return QueryHelpers.AddQueryString(uri.GetLeftPart(UriPartial.Path), query);
    }
}
