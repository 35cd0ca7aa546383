using System.Net;
using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Security;

/// <summary>Every route group refuses a caller without credentials, with a wrong key, and (for /v1/admin) with a product key.</summary>
public sealed class RouteGroupProtectionTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    public static TheoryData<string, string> ProtectedRoutes => new()
    {
        { "GET", "/v1/sandbox" },
        { "GET", "/v1/proxy/x/fabrikam/_apis/projects" },
        { "POST", "/v1/proxy/x/fabrikam/_apis/wit/workitems/$Task" },
        { "GET", "/V1/PROXY/x/fabrikam/_apis/projects" },
        { "GET", "/v1/webhook-endpoints" },
        { "POST", "/v1/webhook-endpoints" },
        { "GET", "/v1/webhook-endpoints/x" },
        { "PATCH", "/v1/webhook-endpoints/x" },
        { "DELETE", "/v1/webhook-endpoints/x" },
        { "POST", "/v1/webhook-endpoints/x/rotate-secret" },
        { "POST", "/v1/webhook-endpoints/x/replay-failed" },
        { "POST", "/v1/webhook-endpoints/x/test" },
        { "GET", "/v1/events" },
        { "GET", "/v1/events/x" },
        { "POST", "/v1/events/x/replay" },
        { "GET", "/v1/deliveries" },
        { "GET", "/v1/admin/apps" },
        { "GET", "/v1/admin/apps/sandbox" },
        { "PUT", "/v1/admin/apps/x" },
        { "DELETE", "/v1/admin/apps/x" },
        { "GET", "/v1/admin/api-keys" },
        { "POST", "/v1/admin/api-keys" },
        { "DELETE", "/v1/admin/api-keys/x" },
        { "GET", "/v1/admin/environments" },
        { "POST", "/v1/admin/environments" },
        { "POST", "/v1/admin/encryption-keys/rotate" },
    };

    public static TheoryData<string, string> AdminRoutes => new()
    {
        { "GET", "/v1/admin/apps" },
        { "PUT", "/v1/admin/apps/x" },
        { "GET", "/v1/admin/api-keys" },
        { "POST", "/v1/admin/api-keys" },
        { "GET", "/v1/admin/environments" },
        { "POST", "/v1/admin/encryption-keys/rotate" },
    };

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task Route_WithoutApiKey_Answers401ProblemDetails(string method, string path)
    {
        using var client = fixture.Server.Client(apiKey: null);
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "missing_api_key");
        response.Headers.WwwAuthenticate.ToString().ShouldContain("Bearer");
        problem.GetProperty("detail").GetString()!.ShouldContain("Authorization: Bearer");
    }

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task Route_WithWrongApiKey_Answers401ProblemDetails(string method, string path)
    {
        using var client = fixture.Server.Client("adbk_aaaaaaaaaaaa_notARealKeyButShapedLikeOne0123456789abcdef");
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task Route_WithNonBearerScheme_Answers401()
    {
        using var client = fixture.Server.Client(apiKey: null);
        client.DefaultRequestHeaders.Add("Authorization", "Basic " + Convert.ToBase64String("a:b"u8.ToArray()));
        using var response = await client.GetAsync("/v1/admin/apps");
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task AdminRoute_WithProductKey_Answers403(string method, string path)
    {
        using var admin = fixture.Server.Client();
        var created = await (await admin.PostAsJsonAsync("/v1/admin/api-keys", new { name = "product", role = "product" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        using var product = fixture.Server.Client(created.GetProperty("key").GetString());
        using var response = await product.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });
        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task RevokedKey_IsRefusedAtOnce()
    {
        using var admin = fixture.Server.Client();
        var created = await (await admin.PostAsJsonAsync("/v1/admin/api-keys", new { name = "short-lived", role = "admin" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        using var key = fixture.Server.Client(created.GetProperty("key").GetString());
        (await key.GetAsync("/v1/admin/apps")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await admin.DeleteAsync($"/v1/admin/api-keys/{created.GetProperty("id").GetString()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await key.GetAsync("/v1/admin/apps")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task ApiKeyList_ShowsPrefixesButNeverKeys()
    {
        using var admin = fixture.Server.Client();
        var created = await (await admin.PostAsJsonAsync("/v1/admin/api-keys", new { name = "listed" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var key = created.GetProperty("key").GetString()!;
        key.ShouldStartWith("adbk_");

        var list = await admin.GetStringAsync("/v1/admin/api-keys");
        list.ShouldNotContain(key);
        list.ShouldNotContain(AdoBridgeServer.BootstrapKey);
        list.ShouldContain(key[..17] + "_…");
    }

    [Fact]
    public async Task HealthAndApiDescription_AreOpenWithoutKey()
    {
        using var client = fixture.Server.Client(apiKey: null);
        (await client.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/readyz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var openApi = await client.GetStringAsync("/openapi/v1.json");
        openApi.ShouldContain("/v1/admin/apps/{name}");
        openApi.ShouldContain("bearer");
        (await client.GetAsync("/docs/")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
