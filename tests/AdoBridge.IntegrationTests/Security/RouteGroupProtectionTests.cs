using System.Net;
using System.Net.Http.Json;
using AdoBridge.ApiKeys;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Security;

/// <summary>
/// Every route the server maps, read from its route table, refuses a caller without credentials, with a wrong key, and
/// with a key whose role is below what the route demands; and no route is open by accident.
/// </summary>
public sealed class RouteGroupProtectionTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private IReadOnlyList<RouteUnderTest> Routes => RouteTable.Read(fixture.Server.App);

    [Fact]
    public void RouteTable_HasNoRouteOpenByAccident()
    {
        var routes = Routes;
        routes.Count(r => r.RequiredRole == ApiKeyRoles.Owner).ShouldBeGreaterThan(0);
        routes.Count(r => r.RequiredRole == ApiKeyRoles.Admin).ShouldBeGreaterThan(0);
        routes.Count(r => r.RequiredRole == ApiKeyRoles.Product).ShouldBeGreaterThan(20);

        var open = routes.Where(r => r.RequiredRole is null && r.Pattern != "/" && !RouteTable.PublicPrefixes.Any(p => r.Pattern.StartsWith(p, StringComparison.OrdinalIgnoreCase)));
        open.ShouldBeEmpty("these routes carry no authorization policy");
        routes.Where(r => r.Pattern.StartsWith("/v1", StringComparison.Ordinal)).ShouldAllBe(r => r.RequiredRole != null);
    }

    [Fact]
    public void McpPoliciesAndApprovals_AreAdminRoutes_SoAnAgentsProductKeyCannotWidenOrApproveItself()
    {
        var mcpAdmin = Routes.Where(r => r.Pattern.StartsWith("/v1/admin/mcp/", StringComparison.Ordinal)).ToList();
        mcpAdmin.Select(r => r.Method).ShouldBe(["GET", "GET", "PUT", "DELETE", "GET", "GET", "POST", "POST"], ignoreOrder: true);
        mcpAdmin.Count(r => r.Pattern.StartsWith("/v1/admin/mcp/policies", StringComparison.Ordinal)).ShouldBe(4);
        mcpAdmin.Count(r => r.Pattern.StartsWith("/v1/admin/mcp/approvals", StringComparison.Ordinal)).ShouldBe(4);
        mcpAdmin.ShouldAllBe(r => r.RequiredRole == ApiKeyRoles.Admin);
    }

    [Fact]
    public async Task EveryProtectedRoute_WithoutApiKey_Answers401ProblemDetails()
    {
        using var client = fixture.Server.Client(apiKey: null);
        await ForEachProtectedRouteAsync(async route =>
        {
            using var response = await SendAsync(client, route);
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "missing_api_key");
            response.Headers.WwwAuthenticate.ToString().ShouldContain("Bearer");
            problem.GetProperty("detail").GetString()!.ShouldContain("Authorization: Bearer");
        });
    }

    [Fact]
    public async Task EveryProtectedRoute_WithWrongApiKey_Answers401ProblemDetails()
    {
        using var client = fixture.Server.Client("adbk_aaaaaaaaaaaa_notARealKeyButShapedLikeOne0123456789abcdef");
        await ForEachProtectedRouteAsync(async route =>
        {
            using var response = await SendAsync(client, route);
            await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
        });
    }

    [Fact]
    public async Task UpperCaseProxyPath_WithoutApiKey_Answers401()
    {
        using var client = fixture.Server.Client(apiKey: null);
        await (await client.GetAsync("/V1/PROXY/x/fabrikam/_apis/projects")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "missing_api_key");
    }

    [Fact]
    public async Task EveryRoute_WithARoleBelowWhatItNeeds_Answers403WithACode()
    {
        using var product = fixture.Server.Client(await CreateKeyAsync(ApiKeyRoles.Product));
        using var admin = fixture.Server.Client(await CreateKeyAsync(ApiKeyRoles.Admin));
        var checkedRoutes = 0;
        await ForEachProtectedRouteAsync(async route =>
        {
            var required = RouteTable.Rank(route.RequiredRole!);
            if (required > RouteTable.Rank(ApiKeyRoles.Product))
            {
                using var response = await SendAsync(product, route);
                await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
                checkedRoutes++;
            }

            if (required > RouteTable.Rank(ApiKeyRoles.Admin))
            {
                using var response = await SendAsync(admin, route);
                var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, ApiKeyProblems.OwnerRoleRequired);
                problem.GetProperty("detail").GetString()!.ShouldContain("'owner'");
            }
        });
        checkedRoutes.ShouldBeGreaterThan(5);
    }

    [Fact]
    public async Task EveryAdminAndOwnerRoute_WithTheRoleItNeeds_IsNotRefused()
    {
        var keys = new Dictionary<string, HttpClient>
        {
            [ApiKeyRoles.Admin] = fixture.Server.Client(await CreateKeyAsync(ApiKeyRoles.Admin)),
            [ApiKeyRoles.Owner] = fixture.Server.Client(),
        };
        try
        {
            await ForEachProtectedRouteAsync(async route =>
            {
                if (route.RequiredRole == ApiKeyRoles.Product)
                {
                    return;
                }

                using var response = await SendAsync(keys[route.RequiredRole!], route);
                response.StatusCode.ShouldNotBeOneOf([HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden], await response.Content.ReadAsStringAsync());
                ((int)response.StatusCode).ShouldBeLessThan(500);
            });
        }
        finally
        {
            foreach (var client in keys.Values)
            {
                client.Dispose();
            }
        }
    }

    [Fact]
    public async Task Route_WithNonBearerScheme_Answers401()
    {
        using var client = fixture.Server.Client(apiKey: null);
        client.DefaultRequestHeaders.Add("Authorization", "Basic " + Convert.ToBase64String("a:b"u8.ToArray()));
        using var response = await client.GetAsync("/v1/admin/apps");
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task RevokedKey_IsRefusedAtOnce()
    {
        using var admin = fixture.Server.Client();
        var created = await (await admin.PostAsJsonAsync("/v1/admin/api-keys", new { name = "short-lived", role = "admin" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        using var key = fixture.Server.Client(created.GetProperty("key").GetString());
        (await key.GetAsync("/v1/admin/api-keys")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await admin.DeleteAsync($"/v1/admin/api-keys/{created.GetProperty("id").GetString()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await key.GetAsync("/v1/admin/api-keys")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
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

    private async Task<string> CreateKeyAsync(string role)
    {
        using var owner = fixture.Server.Client();
        var created = await (await owner.PostAsJsonAsync("/v1/admin/api-keys", new { name = $"route test {role}", role })).ShouldBeJsonAsync(HttpStatusCode.Created);
        return created.GetProperty("key").GetString()!;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, RouteUnderTest route)
        => client.SendAsync(new HttpRequestMessage(new HttpMethod(route.Method), route.Path) { Content = JsonContent.Create(new { }) });

    /// <summary>Runs the check on every protected route and reports each route that failed it, not only the first.</summary>
    private async Task ForEachProtectedRouteAsync(Func<RouteUnderTest, Task> check)
    {
        var failures = new List<string>();
        // Console pages take a console session, not an API key: Console/ConsolePageProtectionTests covers them.
        foreach (var route in Routes.Where(r => r.RequiredRole is not null and not RouteTable.ConsoleSession))
        {
            try
            {
                await check(route);
            }
            catch (Exception e) when (e is ShouldAssertException or System.Text.Json.JsonException)
            {
                failures.Add($"{route}: {e.Message}");
            }
        }

        failures.ShouldBeEmpty();
    }
}
