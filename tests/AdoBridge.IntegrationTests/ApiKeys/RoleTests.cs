using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.ApiKeys;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.ApiKeys;

/// <summary>
/// An admin key manages its own environment (its keys, connections, endpoints) and nothing else; an owner key manages
/// apps, environments, encryption keys and every environment. The bootstrap key is an owner of the sandbox environment.
/// </summary>
public sealed class RoleTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    [Fact]
    public async Task AdminKey_CreatesProductAndAdminKeysInItsOwnEnvironment()
    {
        using var admin = await KeyAsync("sandbox", ApiKeyRoles.Admin);

        var product = await (await admin.PostAsJsonAsync("/v1/admin/api-keys", new { name = "bot", role = "product" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var second = await (await admin.PostAsJsonAsync("/v1/admin/api-keys", new { name = "ops", role = "admin", environment = "sandbox" })).ShouldBeJsonAsync(HttpStatusCode.Created);

        product.GetProperty("environment").GetString().ShouldBe("sandbox");
        second.GetProperty("role").GetString().ShouldBe("admin");
    }

    [Fact]
    public async Task AdminKey_CreatingAKeyForAnotherEnvironment_Answers403()
    {
        using var admin = await KeyAsync("sandbox", ApiKeyRoles.Admin);

        var problem = await (await admin.PostAsJsonAsync("/v1/admin/api-keys", new { name = "intruder", role = "admin", environment = "production" }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, ApiKeyProblems.EnvironmentForbidden);

        problem.GetProperty("detail").GetString()!.ShouldContain("'production'");
        (await OwnerKeysAsync()).ShouldNotContain(k => k.GetProperty("name").GetString() == "intruder");
    }

    [Fact]
    public async Task AdminKey_CreatingAnOwnerKey_Answers403()
    {
        using var admin = await KeyAsync("sandbox", ApiKeyRoles.Admin);

        await (await admin.PostAsJsonAsync("/v1/admin/api-keys", new { name = "promoted", role = "owner" }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, ApiKeyProblems.OwnerRoleRequired);
    }

    [Fact]
    public async Task AdminKey_ListsOnlyItsOwnEnvironmentsKeys()
    {
        using var productionAdmin = await KeyAsync("production", ApiKeyRoles.Admin);
        await KeyAsync("sandbox", ApiKeyRoles.Product, "sandbox-only key");

        var list = await (await productionAdmin.GetAsync("/v1/admin/api-keys")).ShouldBeJsonAsync();
        var items = list.GetProperty("items").EnumerateArray().ToList();

        items.ShouldNotBeEmpty();
        items.ShouldAllBe(k => k.GetProperty("environment").GetString() == "production");
        await (await productionAdmin.GetAsync("/v1/admin/api-keys?environment=sandbox")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, ApiKeyProblems.EnvironmentForbidden);
    }

    [Fact]
    public async Task AdminKey_RevokingAnotherEnvironmentsKeyOrAnOwnerKey_Answers403AndTheKeyKeepsWorking()
    {
        using var productionAdmin = await KeyAsync("production", ApiKeyRoles.Admin);
        using var sandboxAdmin = await KeyAsync("sandbox", ApiKeyRoles.Admin);
        var (victimId, victim) = await CreateAsync("sandbox", ApiKeyRoles.Product, "victim");

        await (await productionAdmin.DeleteAsync($"/v1/admin/api-keys/{victimId}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, ApiKeyProblems.EnvironmentForbidden);
        var bootstrapId = (await OwnerKeysAsync()).Single(k => k.GetProperty("name").GetString() == "bootstrap").GetProperty("id").GetString();
        await (await sandboxAdmin.DeleteAsync($"/v1/admin/api-keys/{bootstrapId}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, ApiKeyProblems.OwnerRoleRequired);

        using var victimClient = fixture.Server.Client(victim);
        (await victimClient.GetAsync("/v1/connections")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await sandboxAdmin.DeleteAsync($"/v1/admin/api-keys/{victimId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Theory]
    [InlineData("GET", "/v1/admin/apps")]
    [InlineData("DELETE", "/v1/admin/apps/sandbox")]
    [InlineData("PUT", "/v1/admin/apps/stolen")]
    [InlineData("GET", "/v1/admin/environments")]
    [InlineData("POST", "/v1/admin/environments")]
    [InlineData("POST", "/v1/admin/encryption-keys/rotate")]
    public async Task AdminKey_OnWhatSpansEnvironments_Answers403OwnerRoleRequired(string method, string path)
    {
        using var admin = await KeyAsync("sandbox", ApiKeyRoles.Admin);

        using var response = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { id = "stolen", type = "pat" }) });

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, ApiKeyProblems.OwnerRoleRequired);
        using var owner = fixture.Server.Client();
        (await owner.GetAsync("/v1/admin/apps/sandbox")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await owner.GetStringAsync("/v1/admin/environments")).ShouldNotContain("stolen");
    }

    [Fact]
    public async Task OwnerKey_ManagesEveryEnvironmentAndCreatesOwnerKeys()
    {
        using var owner = fixture.Server.Client();

        var production = await (await owner.PostAsJsonAsync("/v1/admin/api-keys", new { name = "prod admin", role = "admin", environment = "production" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var second = await (await owner.PostAsJsonAsync("/v1/admin/api-keys", new { name = "second owner", role = "owner" })).ShouldBeJsonAsync(HttpStatusCode.Created);

        production.GetProperty("environment").GetString().ShouldBe("production");
        second.GetProperty("role").GetString().ShouldBe("owner");
        var environments = (await OwnerKeysAsync()).Select(k => k.GetProperty("environment").GetString()).Distinct().ToList();
        environments.ShouldContain("production");
        environments.ShouldContain("sandbox");
        (await (await owner.PostAsync("/v1/admin/encryption-keys/rotate", null)).ShouldBeJsonAsync()).GetProperty("activeKeyId").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task BootstrapKey_IsAnOwner()
        => (await OwnerKeysAsync()).Single(k => k.GetProperty("name").GetString() == "bootstrap").GetProperty("role").GetString().ShouldBe(ApiKeyRoles.Owner);

    [Fact]
    public async Task AdminKey_ManagesItsEnvironmentsConnectionsAndEndpoints_ButSeesNoOtherEnvironments()
    {
        using var sandboxAdmin = await KeyAsync("sandbox", ApiKeyRoles.Admin);
        using var productionAdmin = await KeyAsync("production", ApiKeyRoles.Admin);

        var connectionId = await fixture.Server.ConnectWithMicrosoftAsync("role-test-user");
        (await sandboxAdmin.GetAsync($"/v1/connections/{connectionId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await sandboxAdmin.PostAsJsonAsync("/v1/connect-sessions", new { endUserId = "someone" })).StatusCode.ShouldBe(HttpStatusCode.Created);

        await (await productionAdmin.GetAsync($"/v1/connections/{connectionId}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await productionAdmin.DeleteAsync($"/v1/connections/{connectionId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await sandboxAdmin.GetAsync($"/v1/connections/{connectionId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SandboxDetails_OnlyForKeysOfTheSandboxEnvironment()
    {
        using var productionProduct = await KeyAsync("production", ApiKeyRoles.Product);
        using var productionAdmin = await KeyAsync("production", ApiKeyRoles.Admin);
        using var sandboxProduct = await KeyAsync("sandbox", ApiKeyRoles.Product);

        foreach (var outsider in new[] { productionProduct, productionAdmin })
        {
            using var response = await outsider.GetAsync("/v1/sandbox");
            var body = await response.Content.ReadAsStringAsync();
            await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "sandbox_environment_only");
            body.ShouldNotContain("emulatorAdminToken");
        }

        (await (await sandboxProduct.GetAsync("/v1/sandbox")).ShouldBeJsonAsync()).GetProperty("emulatorAdminToken").GetString().ShouldNotBeNullOrEmpty();
    }

    private async Task<HttpClient> KeyAsync(string environment, string role, string? name = null)
        => fixture.Server.Client((await CreateAsync(environment, role, name ?? $"{role} of {environment}")).Key);

    private async Task<(string Id, string Key)> CreateAsync(string environment, string role, string name)
    {
        using var owner = fixture.Server.Client();
        var created = await (await owner.PostAsJsonAsync("/v1/admin/api-keys", new { name, role, environment })).ShouldBeJsonAsync(HttpStatusCode.Created);
        return (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);
    }

    private async Task<List<JsonElement>> OwnerKeysAsync()
    {
        using var owner = fixture.Server.Client();
        return (await (await owner.GetAsync("/v1/admin/api-keys")).ShouldBeJsonAsync()).GetProperty("items").EnumerateArray().ToList();
    }
}
