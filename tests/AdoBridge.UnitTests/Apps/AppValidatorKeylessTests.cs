using AdoBridge.Apps;

namespace AdoBridge.UnitTests.Apps;

public sealed class AppValidatorKeylessTests
{
    private static readonly AppValidationContext Context = new("https://adobridge.contoso.example", Sandbox: false, new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
    private const string IdentityClientId = "0b8e4a61-2f3c-4d5e-9a7b-1c2d3e4f5a6b";

    private static AppDefinition ServicePrincipal() => new()
    {
        Type = "service-principal",
        Tenant = "3f6a1c2e-8d4b-4e7a-9c15-2b7d9e0f4a61",
        ClientId = "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b",
    };

    private static List<ConfigIssue> Issues(AppDefinition app) => AppValidator.Validate(app, Context);

    [Fact]
    public void ManagedIdentity_SystemAndUserAssigned_AreValid()
    {
        var system = ServicePrincipal();
        system.UseManagedIdentity = true;
        var user = ServicePrincipal();
        user.UseManagedIdentity = true;
        user.ManagedIdentityClientId = IdentityClientId;

        Issues(system).ShouldBeEmpty();
        Issues(user).ShouldBeEmpty();
    }

    [Fact]
    public void FederatedTokenFile_FullPath_IsValid()
    {
        var app = ServicePrincipal();
        app.FederatedTokenFile = "/var/run/secrets/azure/tokens/azure-identity-token";
        Issues(app).ShouldBeEmpty();
    }

    [Fact]
    public void ManagedIdentityAndFederatedTokenFile_Together_AreRefused()
    {
        var app = ServicePrincipal();
        app.UseManagedIdentity = true;
        app.FederatedTokenFile = "/var/run/secrets/azure/tokens/azure-identity-token";
        Issues(app).ShouldContain(i => i.IsError && i.Code == "conflicting_credentials" && i.Field == "federatedTokenFile");
    }

    [Fact]
    public void ManagedIdentityClientId_WithoutUseManagedIdentity_IsRefused()
    {
        var app = ServicePrincipal();
        app.ClientSecret = "Qx8~T2p.Kk4Zr-1Lw9vNc3Hy7Ub5Fe0Ga6Md~Js";
        app.ManagedIdentityClientId = IdentityClientId;
        Issues(app).ShouldContain(i => i.IsError && i.Code == "managed_identity_not_enabled");
    }

    [Fact]
    public void ManagedIdentityClientId_NotAGuid_IsRefused()
    {
        var app = ServicePrincipal();
        app.UseManagedIdentity = true;
        app.ManagedIdentityClientId = "my-identity";
        Issues(app).ShouldContain(i => i.IsError && i.Code == "invalid_client_id" && i.Field == "managedIdentityClientId");
    }

    [Fact]
    public void Keyless_OnAnEntraApp_IsRefused()
    {
        var app = ServicePrincipal();
        app.Type = "entra";
        app.ClientSecret = "Qx8~T2p.Kk4Zr-1Lw9vNc3Hy7Ub5Fe0Ga6Md~Js";
        app.UseManagedIdentity = true;
        Issues(app).ShouldContain(i => i.IsError && i.Code == "keyless_not_supported" && i.Field == "useManagedIdentity");
    }

    [Fact]
    public void Keyless_WithSecretsLeftOver_WarnsTheyAreUnused_AndRelativePathWarns()
    {
        var app = ServicePrincipal();
        app.ClientSecret = "Qx8~T2p.Kk4Zr-1Lw9vNc3Hy7Ub5Fe0Ga6Md~Js";
        app.FederatedTokenFile = "token.jwt";
        var issues = Issues(app);
        issues.ShouldAllBe(i => !i.IsError);
        issues.ShouldContain(i => i.Code == "secrets_unused");
        issues.ShouldContain(i => i.Code == "relative_path");
    }
}
