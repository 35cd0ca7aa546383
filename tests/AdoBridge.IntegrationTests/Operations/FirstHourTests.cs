using System.Net;
using System.Net.Http.Json;
using System.Text;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Operations;

/// <summary>What a newcomer meets in the first hour in sandbox mode: their own return page works, and every mistake says what was expected.</summary>
public sealed class FirstHourTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    [Theory]
    [InlineData("http://localhost:3000/settings/azure-devops")]
    [InlineData("http://127.0.0.1:8080/callback?tab=integrations")]
    [InlineData("https://localhost:5001/")]
    public async Task Sandbox_ConnectSessionReturningToThisMachine_AnyPort_IsAccepted(string returnUrl)
    {
        using var client = fixture.Server.Client();

        var session = await (await client.PostAsJsonAsync("/v1/connect-sessions", new { endUserId = "newcomer", returnUrl })).ShouldBeJsonAsync(HttpStatusCode.Created);

        session.GetProperty("url").GetString()!.ShouldContain("/connect/");
    }

    [Theory]
    [InlineData("https://app.contoso.example/settings")]
    [InlineData("http://localhost.contoso.example/settings")]
    [InlineData("http://user@localhost:3000/settings")]
    public async Task Sandbox_ConnectSessionReturningElsewhere_IsRefusedNamingTheSetting(string returnUrl)
    {
        using var client = fixture.Server.Client();

        var problem = await (await client.PostAsJsonAsync("/v1/connect-sessions", new { endUserId = "newcomer", returnUrl })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "return_url_not_allowed");

        problem.GetProperty("detail").GetString()!.ShouldContain("AdoBridge:SandboxReturnUrls");
    }

    [Fact]
    public async Task Landing_AfterConnectingWithoutReturnUrl_SaysItWorkedAndWhatToDoNext()
    {
        using var browser = new HttpClient { BaseAddress = fixture.Server.BaseUrl };

        var page = await browser.GetStringAsync("/?connectionId=conn_0123456789&status=active");

        page.ShouldContain("<h2>Connected</h2>");
        page.ShouldContain("The connection <code>conn_0123456789</code> is active");
        page.ShouldContain("GET /v1/connections/conn_0123456789");
        page.ShouldContain("returnUrl");
    }

    [Fact]
    public async Task Landing_AfterAFailedConnect_SaysSoAndEncodesWhatItShows()
    {
        using var browser = new HttpClient { BaseAddress = fixture.Server.BaseUrl };

        var page = await browser.GetStringAsync("/?status=error&error=%3Cscript%3Ealert(1)%3C%2Fscript%3E");

        page.ShouldContain("<h2>Not connected</h2>");
        page.ShouldNotContain("<script>alert(1)</script>");
        page.ShouldContain("&lt;script&gt;");
    }

    [Fact]
    public async Task Landing_WithoutAnOutcome_ShowsNoOutcome()
    {
        using var browser = new HttpClient { BaseAddress = fixture.Server.BaseUrl };

        (await browser.GetStringAsync("/")).ShouldNotContain("class=\"outcome");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    public async Task JsonBody_WithoutJsonContentType_IsA415ThatSaysWhatToSend(string? contentType)
    {
        using var client = fixture.Server.Client();
        var body = new StringContent("""{"endUserId":"newcomer"}""", Encoding.UTF8);
        body.Headers.ContentType = contentType is null ? null : new(contentType);

        var problem = await (await client.PostAsync("/v1/connect-sessions", body)).ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");

        problem.GetProperty("detail").GetString()!.ShouldContain("Content-Type: application/json");
        problem.GetProperty("detail").GetString()!.ShouldContain(contentType ?? "no Content-Type");
    }

    [Fact]
    public async Task ApiKey_WithoutTheAdbkPrefix_IsRefusedSayingWhatAKeyLooksLike()
    {
        using var client = fixture.Server.Client(apiKey: "0123456789abcdef0123456789abcdef");

        var problem = await (await client.GetAsync("/v1/connections")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");

        problem.GetProperty("detail").GetString()!.ShouldContain("keys look like 'adbk_'");
    }
}
