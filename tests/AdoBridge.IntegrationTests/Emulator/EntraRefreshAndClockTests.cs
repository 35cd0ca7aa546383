using System.Net;
using AdoBridge.Emulator;

namespace AdoBridge.IntegrationTests.Emulator;

/// <summary>Refresh tokens and everything that depends on the emulator clock (its own host, because the clock moves).</summary>
public sealed class EntraRefreshAndClockTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Refresh_ReturnsANewRefreshTokenEachTime_AndTheOldOneKeepsWorking()
    {
        var app = new EntraTestApp(fx).Register();
        var first = (await app.SignedInTokensAsync()).GetProperty("refresh_token").GetString()!;

        var second = (await Json.OkAsync(await app.RefreshAsync(first))).GetProperty("refresh_token").GetString()!;
        var again = await app.RefreshAsync(first);

        second.ShouldNotBe(first);
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        fx.State.Counts.TokenRequestsFor("refresh_token").ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task RevokedGrant_RefreshIsAadsts50173_AndItsAccessTokenGetsTheSignInPage()
    {
        var app = new EntraTestApp(fx).Register();
        var tokens = await app.SignedInTokensAsync(EmulatorDefaults.BobUpn);

        fx.State.RevokeGrant(EmulatorDefaults.BobUpn, app.ClientId).ShouldBe(1);
        var refresh = await app.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        var call = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(), bearer: tokens.GetProperty("access_token").GetString()));

        refresh.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = await Json.ReadAsync(refresh);
        error.GetProperty("error").GetString().ShouldBe("invalid_grant");
        error.GetProperty("error_codes")[0].GetInt32().ShouldBe(50173);
        call.StatusCode.ShouldBe(HttpStatusCode.NonAuthoritativeInformation);
    }

    [Fact]
    public async Task ConsentRemoved_RefreshIsAadsts65001ConsentRequired()
    {
        var app = new EntraTestApp(fx).Register();
        var tokens = await app.SignedInTokensAsync();

        fx.State.RemoveConsent(EmulatorDefaults.AliceUpn, app.ClientId);
        var error = await Json.ReadAsync(await app.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!));

        error.GetProperty("error_codes")[0].GetInt32().ShouldBe(65001);
        error.GetProperty("suberror").GetString().ShouldBe("consent_required");
    }

    [Fact]
    public async Task ClockMoves_CodeExpiresAfterTenMinutes_AccessTokenAfterAnHour_RefreshTokenAfter90DaysUnused()
    {
        var app = new EntraTestApp(fx).Register();
        var tokens = await app.SignedInTokensAsync();
        var accessToken = tokens.GetProperty("access_token").GetString();
        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;
        var staleCode = await app.GetCodeAsync(EmulatorDefaults.AliceUpn);

        fx.State.AdvanceClock(TimeSpan.FromMinutes(11));
        var codeError = await Json.ReadAsync(await app.RedeemAsync(staleCode));
        fx.State.AdvanceClock(TimeSpan.FromMinutes(50));
        var expiredCall = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(), bearer: accessToken));
        var refreshed = await Json.OkAsync(await app.RefreshAsync(refreshToken));
        var freshCall = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(), bearer: refreshed.GetProperty("access_token").GetString()));
        fx.State.AdvanceClock(TimeSpan.FromDays(91));
        var inactive = await Json.ReadAsync(await app.RefreshAsync(refreshed.GetProperty("refresh_token").GetString()!));

        codeError.GetProperty("error_codes")[0].GetInt32().ShouldBe(70008);
        expiredCall.StatusCode.ShouldBe(HttpStatusCode.NonAuthoritativeInformation);
        expiredCall.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        freshCall.StatusCode.ShouldBe(HttpStatusCode.OK);
        inactive.GetProperty("error").GetString().ShouldBe("invalid_grant");
        inactive.GetProperty("error_codes")[0].GetInt32().ShouldBe(700082);
    }
}
