using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Apps;

public sealed class AppsAdminApiTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private const string ClientId = "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b";
    private const string SecretValue = "Qx8~T2p.Kk4Zr-1Lw9vNc3Hy7Ub5Fe0Ga6Md~Js"; // shaped like an Entra secret value

    private static JsonObject ValidEntra() => new()
    {
        ["type"] = "entra",
        ["displayName"] = "Contoso Review",
        ["tenant"] = "organizations",
        ["clientId"] = ClientId,
        ["clientSecrets"] = new JsonArray(new JsonObject { ["id"] = "2026-11", ["value"] = SecretValue, ["expiresAt"] = "2028-01-01T00:00:00Z" }),
        ["publicBaseUrl"] = "https://adobridge.contoso.example",
        ["allowedReturnUrls"] = new JsonArray("https://app.contoso.example/settings/azure-devops"),
    };

    public static TheoryData<string, string, string, string> InvalidCases => new()
    {
        // description, JSON pointer-ish field to change, new value (JSON), expected field in the answer
        { "tenant neither GUID nor keyword", "tenant", "\"my-tenant\"", "tenant" },
        { "tenant 'consumers'", "tenant", "\"consumers\"", "tenant" },
        { "client id not a GUID", "clientId", "\"Contoso Review\"", "clientId" },
        { "secret with a trailing newline", "clientSecrets", "[{\"id\":\"a\",\"value\":\"Qx8~T2p.Kk4Zr-1Lw9vNc3Hy7Ub5Fe0Ga6Md~Js\\n\"}]", "clientSecrets[0].value" },
        { "secret with a space inside", "clientSecrets", "[{\"id\":\"a\",\"value\":\"Qx8~T2p.Kk4Zr 1Lw9vNc3Hy7Ub5Fe0Ga6Md~Js\"}]", "clientSecrets[0].value" },
        { "secret ID pasted as value", "clientSecrets", "[{\"id\":\"a\",\"value\":\"0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e\"}]", "clientSecrets[0].value" },
        { "shorthand secret ID", "clientSecret", "\"0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e\"", "clientSecret" },
        { "no secret at all", "clientSecrets", "[]", "clientSecrets" },
        { "http public base URL outside localhost", "publicBaseUrl", "\"http://adobridge.contoso.example\"", "publicBaseUrl" },
        { "unknown type", "type", "\"github\"", "type" },
        { "scope of another resource", "scopes", "[\"https://graph.microsoft.com/User.Read\"]", "scopes[0]" },
        { "return URL with wildcard", "allowedReturnUrls", "[\"https://*.contoso.example/\"]", "allowedReturnUrls[0]" },
        { "OAuth against a Server URL", "azureDevOps", "{\"serverUrl\":\"https://ado.contoso.example/tfs/DefaultCollection\"}", "type" },
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public async Task PutApp_InvalidSetting_Answers400NamingTheField(string description, string property, string json, string expectedField)
    {
        var app = ValidEntra();
        app[property] = JsonNode.Parse(json);
        using var client = fixture.Server.Client();

        using var response = await client.PutAsJsonAsync("/v1/admin/apps/bad-app", app);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_app_config");
        var errors = problem.GetProperty("errors").EnumerateArray().ToList();
        errors.ShouldContain(e => e.GetProperty("field").GetString() == expectedField, description + ": " + problem);
        errors.ShouldAllBe(e => e.GetProperty("fix").GetString()!.Length > 10);
        problem.ToString().ShouldNotContain(SecretValue);
        (await client.GetAsync("/v1/admin/apps/bad-app")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "a refused app must not be stored");
    }

    [Fact]
    public async Task PutApp_Legacy_IsAcceptedWithRetirementWarning()
    {
        var app = new JsonObject
        {
            ["type"] = "legacy",
            ["clientId"] = ClientId,
            ["clientSecret"] = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.legacy-secret",
            ["scopes"] = new JsonArray("vso.code", "vso.work_write"),
            ["publicBaseUrl"] = "https://adobridge.contoso.example",
        };
        using var client = fixture.Server.Client();

        var view = await (await client.PutAsJsonAsync("/v1/admin/apps/old-legacy", app)).ShouldBeJsonAsync(HttpStatusCode.Created);

        var warnings = view.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("code").GetString()).ToList();
        warnings.ShouldContain("legacy_app_retiring");
        warnings.ShouldContain("secret_expiry_unknown");
    }

    [Fact]
    public async Task PutApp_SecretExpiringSoon_IsAcceptedWithWarning()
    {
        var app = ValidEntra();
        app["clientSecrets"] = new JsonArray(new JsonObject { ["id"] = "old", ["value"] = SecretValue, ["expiresAt"] = DateTimeOffset.UtcNow.AddDays(10).ToString("O") });
        using var client = fixture.Server.Client();

        var view = await (await client.PutAsJsonAsync("/v1/admin/apps/expiring", app)).ShouldBeJsonAsync(HttpStatusCode.Created);

        var warning = view.GetProperty("warnings").EnumerateArray().Single(w => w.GetProperty("code").GetString() == "secret_expiring");
        warning.GetProperty("field").GetString().ShouldBe("clientSecrets[0].expiresAt");
    }

    [Fact]
    public async Task PutApp_Valid_IsUsedAtOnceAndNeverShowsTheSecret()
    {
        using var client = fixture.Server.Client();

        var created = await (await client.PutAsJsonAsync("/v1/admin/apps/contoso", ValidEntra())).ShouldBeJsonAsync(HttpStatusCode.Created);
        created.GetProperty("status").GetString().ShouldBe("valid");
        created.GetProperty("redirectUri").GetString().ShouldBe("https://adobridge.contoso.example/connect/callback");
        created.GetProperty("scopes").EnumerateArray().Single().GetString().ShouldBe("user_impersonation");

        var list = await client.GetStringAsync("/v1/admin/apps");
        list.ShouldContain("\"contoso\"");
        list.ShouldNotContain(SecretValue);
        var fetched = await (await client.GetAsync("/v1/admin/apps/contoso")).ShouldBeJsonAsync();
        var secret = fetched.GetProperty("clientSecrets").EnumerateArray().Single();
        secret.GetProperty("id").GetString().ShouldBe("2026-11");
        secret.GetProperty("fingerprint").GetString()!.ShouldStartWith("sha256:");
        fetched.ToString().ShouldNotContain(SecretValue);
    }

    [Fact]
    public async Task PutApp_SecretWithoutValue_KeepsTheStoredValue()
    {
        using var client = fixture.Server.Client();
        var first = await (await client.PutAsJsonAsync("/v1/admin/apps/rotating", ValidEntra())).ShouldBeJsonAsync(HttpStatusCode.Created);
        var fingerprint = first.GetProperty("clientSecrets")[0].GetProperty("fingerprint").GetString();

        var update = ValidEntra();
        update["displayName"] = "Renamed";
        update["clientSecrets"] = new JsonArray(
            new JsonObject { ["id"] = "2026-11" },
            new JsonObject { ["id"] = "2027-01", ["value"] = "Zz9~A1b.Cc2Dd-3Ee4Ff5Gg6Hh7Ii8Jj9Kk0LlMm" });
        var second = await (await client.PutAsJsonAsync("/v1/admin/apps/rotating", update)).ShouldBeJsonAsync(HttpStatusCode.OK);

        second.GetProperty("displayName").GetString().ShouldBe("Renamed");
        second.GetProperty("clientSecrets")[0].GetProperty("fingerprint").GetString().ShouldBe(fingerprint);
        second.GetProperty("clientSecrets")[1].GetProperty("id").GetString().ShouldBe("2027-01");
    }

    [Fact]
    public async Task PutApp_UnknownProperty_Answers400NamingIt()
    {
        var app = ValidEntra();
        app["clientSecert"] = "typo";
        using var client = fixture.Server.Client();

        var problem = await (await client.PutAsJsonAsync("/v1/admin/apps/typo", app)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_request_body");

        problem.GetProperty("detail").GetString()!.ShouldContain("clientSecert");
    }

    [Fact]
    public async Task PutApp_MalformedJson_Answers400()
    {
        using var client = fixture.Server.Client();
        using var content = new StringContent("{\"type\": \"entra\",", System.Text.Encoding.UTF8, "application/json");

        await (await client.PutAsync("/v1/admin/apps/broken", content)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_request_body");
    }

    [Fact]
    public async Task PutApp_InvalidName_Answers400()
    {
        using var client = fixture.Server.Client();
        await (await client.PutAsJsonAsync("/v1/admin/apps/Bad_Name", ValidEntra())).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_app_name");
    }

    [Fact]
    public async Task DeleteApp_RemovesIt_AndUnknownAnswers404()
    {
        using var client = fixture.Server.Client();
        (await client.PutAsJsonAsync("/v1/admin/apps/temporary", ValidEntra())).StatusCode.ShouldBe(HttpStatusCode.Created);

        (await client.DeleteAsync("/v1/admin/apps/temporary")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await client.GetAsync("/v1/admin/apps/temporary")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "app_not_found");
        await (await client.DeleteAsync("/v1/admin/apps/temporary")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "app_not_found");
    }

    [Fact]
    public async Task SandboxApp_IsReadOnly()
    {
        using var client = fixture.Server.Client();
        var sandbox = await (await client.GetAsync("/v1/admin/apps/sandbox")).ShouldBeJsonAsync();
        sandbox.GetProperty("source").GetString().ShouldBe("sandbox");

        await (await client.PutAsJsonAsync("/v1/admin/apps/sandbox", ValidEntra())).ShouldBeProblemAsync(HttpStatusCode.Conflict, "app_managed_by_sandbox");
        await (await client.DeleteAsync("/v1/admin/apps/sandbox")).ShouldBeProblemAsync(HttpStatusCode.Conflict, "app_read_only");
    }

    [Fact]
    public async Task UnknownRoute_Answers404ProblemDetails()
    {
        using var client = fixture.Server.Client();
        await (await client.GetAsync("/v1/nothing-here")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
    }
}
