using System.Net;
using System.Net.Http.Json;
using AdoBridge.Emulator;

namespace AdoBridge.IntegrationTests.Emulator;

public sealed class DiscoveryAndThrottleTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task OptionsAndResourceAreas_PointBackThroughTheRequestBase()
    {
        var ado = AdoTestClient.For(fx);

        var git = await fx.Http.SendAsync(new HttpRequestMessage(HttpMethod.Options, $"{ado.OrgPath}/_apis/git"));
        var all = await fx.Http.SendAsync(new HttpRequestMessage(HttpMethod.Options, $"{ado.OrgPath}/_apis"));
        var areas = (await ado.GetAsync($"{ado.OrgPath}/_apis/resourceAreas?api-version=7.2-preview.1")).ShouldBe(HttpStatusCode.OK);

        var gitLocations = await Json.OkAsync(git);
        gitLocations.GetProperty("value").EnumerateArray().ShouldAllBe(l => l.GetProperty("area").GetString() == "git");
        var pullRequests = gitLocations.GetProperty("value").EnumerateArray().Single(l => l.GetProperty("id").GetString() == "9946fd70-0d40-406e-b686-b4744cbbcc37");
        pullRequests.GetProperty("routeTemplate").GetString().ShouldBe("{project}/_apis/{area}/repositories/{repositoryId}/pullRequests/{pullRequestId}".Replace("pullRequests/{pullRequestId}", "{resource}/{pullRequestId}", StringComparison.Ordinal));
        (await Json.OkAsync(all)).GetProperty("value").EnumerateArray().Select(l => l.GetProperty("area").GetString()).ShouldContain("wit");
        var gitArea = areas["value"].EnumerateArray().Single(a => a.GetProperty("name").GetString() == "git");
        gitArea.GetProperty("locationUrl").GetString().ShouldBe($"{fx.Host.BaseUrl}{EmulatorDefaults.DevOpsHost}/fabrikam/");
    }

    [Fact]
    public async Task ResourceAreas_FollowAProxyThatRewritesTheHost()
    {
        var pat = fx.State.CreatePat(EmulatorDefaults.AliceUpn, null, ["vso.project"]);
        var request = DevOps.Get($"{EmulatorDefaults.DevOpsHost}/fabrikam/_apis/resourceAreas?api-version=7.1", pat: pat);
        request.Headers.Host = "proxy.example:8443";

        var areas = await Json.OkAsync(await fx.Http.SendAsync(request));

        areas.GetProperty("value").EnumerateArray().Where(a => a.GetProperty("name").GetString() != "Profile")
            .ShouldAllBe(a => a.GetProperty("locationUrl").GetString()!.StartsWith("http://proxy.example:8443/dev.azure.com/fabrikam/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Throttle_Blocks429WithRateLimitHeaders_ThenWarnsWithoutBlocking()
    {
        var ado = AdoTestClient.For(fx, EmulatorDefaults.BobUpn);
        (await fx.Http.PostAsJsonAsync("_admin/throttles", new { organization = "fabrikam", count = 1, retryAfterSeconds = 7, resource = "Core" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        fx.State.Throttle(new EmulatorThrottle("/dev.azure.com/fabrikam", Block: false, Count: 1, Remaining: 12));

        var blocked = await ado.GetAsync($"{ado.OrgPath}/_apis/git/repositories");
        var warned = await ado.GetAsync($"{ado.OrgPath}/_apis/git/repositories");
        var normal = await ado.GetAsync($"{ado.OrgPath}/_apis/git/repositories");

        blocked.Status.ShouldBe(HttpStatusCode.TooManyRequests);
        blocked.Headers["Retry-After"].ShouldBe("7");
        blocked.Headers["X-RateLimit-Resource"].ShouldBe("Core");
        blocked.Headers["X-RateLimit-Remaining"].ShouldBe("0");
        blocked.Headers["X-RateLimit-Limit"].ShouldBe("200");
        blocked.Headers.ContainsKey("X-RateLimit-Delay").ShouldBeTrue();
        long.Parse(blocked.Headers["X-RateLimit-Reset"]).ShouldBeGreaterThan(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        blocked.Message.ShouldStartWith("TF400733");
        warned.ShouldBe(HttpStatusCode.OK).Headers["X-RateLimit-Remaining"].ShouldBe("12");
        warned.Headers.ContainsKey("Retry-After").ShouldBeFalse();
        normal.ShouldBe(HttpStatusCode.OK).Headers.ContainsKey("X-RateLimit-Limit").ShouldBeFalse();
    }

    [Fact]
    public async Task ThrottleForADuration_EndsWhenTheEmulatorClockPassesIt()
    {
        var pat = fx.State.CreatePat(EmulatorDefaults.AliceUpn, null, ["vso.project"]);
        fx.State.Throttle(new EmulatorThrottle("/dev.azure.com/fabrikam-labs", Seconds: 60));

        var during = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects("fabrikam-labs"), pat: pat));
        fx.State.AdvanceClock(TimeSpan.FromSeconds(61));
        var after = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects("fabrikam-labs"), pat: pat));

        during.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        after.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
