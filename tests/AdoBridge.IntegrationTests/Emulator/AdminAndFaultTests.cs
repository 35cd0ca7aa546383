using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using AdoBridge.Emulator;

namespace AdoBridge.IntegrationTests.Emulator;

public sealed class AdminAndFaultTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task InjectedFault_Answers429WithRetryAfterForNRequests_ThenTheRealResponse()
    {
        var pat = fx.State.CreatePat(EmulatorDefaults.AliceUpn, null, ["vso.project"]);
        var admin = await fx.Http.PostAsJsonAsync("_admin/faults", new
        {
            method = "GET",
            pathPrefix = $"/{EmulatorDefaults.DevOpsHost}/fabrikam/_apis/projects",
            statusCode = 429,
            count = 2,
            headers = new Dictionary<string, string> { ["Retry-After"] = "1", ["X-RateLimit-Resource"] = "Core", ["X-RateLimit-Remaining"] = "0" },
            body = "{\"message\":\"TF400733: Request was blocked due to exceeding usage of resource 'Core'.\"}",
        });
        admin.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var before = fx.State.Counts.ApiRequests;

        var first = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(), pat: pat));
        var second = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(), pat: pat));
        var third = await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(), pat: pat));

        first.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        first.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        first.Headers.GetValues("X-RateLimit-Resource").Single().ShouldBe("Core");
        (await first.Content.ReadAsStringAsync()).ShouldContain("TF400733");
        second.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        third.StatusCode.ShouldBe(HttpStatusCode.OK);
        (fx.State.Counts.ApiRequests - before).ShouldBe(3);
    }

    [Fact]
    public async Task InjectedFault_OnTheTokenEndpoint_Answers503AndIsCounted()
    {
        var app = new EntraTestApp(fx).Register();
        fx.State.InjectFault(new EmulatorFault("POST", $"/{EmulatorDefaults.LoginHost}/{EmulatorDefaults.TenantId}/oauth2/v2.0/token", 503));
        var form = new Dictionary<string, string?> { ["grant_type"] = "client_credentials", ["scope"] = $"{EmulatorDefaults.AzureDevOpsResourceId}/.default", ["client_secret"] = app.Secret };

        var failed = await app.TokenAsync(new(form));
        var succeeded = await app.TokenAsync(new(form));

        failed.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        succeeded.StatusCode.ShouldBe(HttpStatusCode.OK);
        fx.State.Counts.TokenRequestsForClient(app.ClientId).ShouldBe(2);
    }

    [Fact]
    public async Task AdminApi_RegistersAppsAndPats_OverHttp()
    {
        var app = await Json.ReadAsync(await fx.Http.PostAsJsonAsync("_admin/entra-apps", new { displayName = "Seeded by test", redirectUris = new[] { "http://127.0.0.1:1/cb" } }));
        var pat = await Json.ReadAsync(await fx.Http.PostAsJsonAsync("_admin/pats", new { userPrincipalName = EmulatorDefaults.BobUpn, scopes = new[] { "vso.project" }, organization = "fabrikam" }));
        var missingUser = await fx.Http.PostAsJsonAsync("_admin/pats", new { userPrincipalName = "nobody@fabrikam.onmicrosoft.com", scopes = new[] { "vso.project" } });

        app.GetProperty("secrets")[0].GetProperty("value").GetString().ShouldNotBeNullOrEmpty();
        fx.State.EntraApps.ShouldContain(a => a.ClientId == app.GetProperty("clientId").GetString());
        (await fx.Http.SendAsync(DevOps.Get(DevOps.Projects(), pat: pat.GetProperty("value").GetString()))).StatusCode.ShouldBe(HttpStatusCode.OK);
        missingUser.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AdminToken_WhenConfigured_IsRequiredOnEveryAdminRoute()
    {
        await using var host = await EmulatorHost.StartAsync(configure: o => o.AdminToken = "admin-token-for-tests");
        using var http = new HttpClient { BaseAddress = host.BaseUrl };

        var anonymous = await http.GetAsync("_admin/state");
        var wrong = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "_admin/state") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "nope") } });
        var right = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "_admin/state") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "admin-token-for-tests") } });

        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        right.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task StateFile_KeepsPatsAndAppsAcrossRestarts()
    {
        var file = Path.Combine(Path.GetTempPath(), $"adobridge-emulator-{Guid.NewGuid():N}.json");
        try
        {
            string pat;
            await using (var first = await EmulatorHost.StartAsync(configure: o => o.StateFile = file))
            {
                pat = first.State.CreatePat(EmulatorDefaults.AliceUpn, null, ["vso.project"]);
                first.State.AddProject(EmulatorDefaults.Organization, "Persisted-Project");
            }

            await using var second = await EmulatorHost.StartAsync(configure: o => o.StateFile = file);
            using var http = new HttpClient { BaseAddress = second.BaseUrl };
            var response = await http.SendAsync(DevOps.Get(DevOps.Projects(query: "api-version=7.1&$top=100"), pat: pat));

            (await response.Content.ReadAsStringAsync()).ShouldContain("Persisted-Project");
            (await File.ReadAllTextAsync(file)).ShouldNotContain(pat);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
