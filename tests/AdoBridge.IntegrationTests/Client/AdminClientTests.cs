using AdoBridge.Client;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Client;

[Collection(ClientTestsCollection.Name)]
public sealed class AdminClientTests(SandboxServerFixture fixture)
{
    private const string ClientId = "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b";
    private const string SecretValue = "Qx8~T2p.Kk4Zr-1Lw9vNc3Hy7Ub5Fe0Ga6Md~Js";

    private AdoBridgeServer Server => fixture.Server;

    private static AppDefinition Entra() => new()
    {
        Type = AppType.Entra,
        DisplayName = "Contoso Review",
        Tenant = "organizations",
        ClientId = ClientId,
        ClientSecrets = [new AppClientSecret { Id = "2026-11", Value = SecretValue, ExpiresAt = DateTimeOffset.UtcNow.AddYears(1) }],
        PublicBaseUrl = "https://adobridge.contoso.example",
        AllowedReturnUrls = ["https://app.contoso.example/settings/azure-devops"],
    };

    [Fact]
    public async Task PutApp_InvalidClientId_ThrowsInvalidAppConfigNamingTheFieldAndFix()
    {
        var client = Server.BridgeClient();

        var e = await client.Admin.Apps.PutAsync("client-bad", Entra() with { ClientId = "Contoso Review" }).ShouldFailWithAsync(400, "invalid_app_config");

        var error = e.Errors.ShouldHaveSingleItem();
        error.Field.ShouldBe("clientId");
        error.Code.ShouldBe("invalid_client_id");
        error.Fix!.Length.ShouldBeGreaterThan(10);
        e.Extensions.ContainsKey("errors").ShouldBeTrue();
        e.Message.ShouldContain("clientId");
        e.ToString().ShouldNotContain(SecretValue);
        await client.Admin.Apps.GetAsync("client-bad").ShouldFailWithAsync(404, "app_not_found");
    }

    [Fact]
    public async Task PutApp_Valid_CanBeReadListedExaminedAndDeleted_WithoutItsSecret()
    {
        var client = Server.BridgeClient();
        var definition = Entra();

        var app = await client.Admin.Apps.PutAsync("client-entra", definition);
        var listed = await client.Admin.Apps.ListAsync();
        var doctor = await client.Admin.Apps.DoctorAsync("client-entra");
        await client.Admin.Apps.DeleteAsync("client-entra");

        app.Status.ShouldBe("valid");
        app.Type.ShouldBe(AppType.Entra);
        app.RedirectUri.ShouldBe("https://adobridge.contoso.example/connect/callback");
        app.ClientSecrets.ShouldHaveSingleItem().Fingerprint.ShouldStartWith("sha256:");
        app.ToString().ShouldNotContain(SecretValue);
        definition.ToString().ShouldNotContain(SecretValue);
        listed.Select(a => a.Name).ShouldContain("client-entra");
        listed.Select(a => a.Name).ShouldContain("sandbox");
        doctor.App.ShouldBe("client-entra");
        doctor.Checks.ShouldNotBeEmpty();
        doctor.OneLine.ShouldNotBeNullOrEmpty();
        await client.Admin.Apps.GetAsync("client-entra").ShouldFailWithAsync(404, "app_not_found");
    }

    [Fact]
    public async Task ApiKeys_ProductKeyInANewEnvironment_SeesOnlyItsEnvironment_AndStopsWhenRevoked()
    {
        var admin = Server.BridgeClient();
        var environment = await admin.Admin.Environments.CreateAsync("client-tests", "Client tests");
        var created = await admin.Admin.ApiKeys.CreateAsync(new CreateApiKeyRequest { Name = "client test key", Environment = environment.Id, Role = ApiKeyRole.Product });
        var product = Server.BridgeClient(created.Key);

        created.Key.ShouldStartWith("adbk_");
        created.ToString().ShouldNotContain(created.Key);
        (await admin.Admin.ApiKeys.ListAsync(environment.Id)).ShouldHaveSingleItem().Id.ShouldBe(created.Id);
        (await admin.Admin.Environments.ListAsync()).Select(e => e.Id).ShouldContain("client-tests");
        await admin.Admin.Environments.CreateAsync("client-tests").ShouldFailWithAsync(409, "environment_exists");
        (await product.Connections.ListAsync()).Items.ShouldBeEmpty();
        await product.Admin.Apps.ListAsync().ShouldFailWithAsync(403, "forbidden");

        await admin.Admin.ApiKeys.RevokeAsync(created.Id);

        var e = await product.Connections.ListAsync().ShouldFailWithAsync(401, "invalid_api_key");
        e.ToString().ShouldNotContain(created.Key);
        (await admin.Admin.ApiKeys.ListAsync(environment.Id)).ShouldHaveSingleItem().RevokedAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task MigrationAndKeyRotation_Answer()
    {
        var client = Server.BridgeClient();

        var report = await client.Admin.GetMigrationReportAsync();
        var first = await client.Admin.RotateEncryptionKeyAsync();
        var second = await client.Admin.RotateEncryptionKeyAsync();

        report.Count.ShouldBe(report.Items.Count);
        report.EntraApps.ShouldContain("sandbox");
        first.ShouldNotBeNullOrEmpty();
        second.ShouldNotBe(first);
    }

    [Fact]
    public async Task Sandbox_DetailsNameTheEmulatedOrganisation_AndNeverPrintTheSecrets()
    {
        var sandbox = await Server.BridgeClient().GetSandboxAsync();

        sandbox.Organization.ShouldBe("fabrikam");
        sandbox.Users.Select(u => u.UserPrincipalName).ShouldContain("alice@fabrikam.onmicrosoft.com");
        sandbox.ToString().ShouldNotContain(sandbox.Pat);
        sandbox.ToString().ShouldNotContain(sandbox.EmulatorAdminToken);
    }
}
