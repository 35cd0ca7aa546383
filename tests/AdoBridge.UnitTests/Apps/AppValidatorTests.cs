using AdoBridge.Apps;

namespace AdoBridge.UnitTests.Apps;

public sealed class AppValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly AppValidationContext Context = new("https://adobridge.contoso.example", Sandbox: false, Now);

    private static AppDefinition Entra() => new()
    {
        Type = "entra",
        Tenant = "organizations",
        ClientId = "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b",
        ClientSecrets = [new ClientSecretDefinition { Id = "a", Value = "Qx8~T2p.Kk4Zr-1Lw9vNc3Hy7Ub5Fe0Ga6Md~Js" }],
    };

    private static List<ConfigIssue> Errors(AppDefinition app) => AppValidator.Validate(app, Context).Where(i => i.IsError).ToList();

    [Fact]
    public void ValidEntraApp_HasNoFindings() => AppValidator.Validate(Entra(), Context).ShouldBeEmpty();

    [Theory]
    [InlineData("common")]
    [InlineData("organizations")]
    [InlineData("3f6a1c2e-8d4b-4e7a-9c15-2b7d9e0f4a61")]
    [InlineData("contoso.onmicrosoft.com")]
    public void Tenant_AcceptedForms(string tenant)
    {
        var app = Entra();
        app.Tenant = tenant;
        Errors(app).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("contoso", "invalid_tenant")]
    [InlineData("consumers", "invalid_tenant")]
    [InlineData(" organizations", "whitespace")]
    [InlineData("", "missing_tenant")]
    public void Tenant_RefusedForms(string tenant, string code)
    {
        var app = Entra();
        app.Tenant = tenant;
        Errors(app).ShouldHaveSingleItem().Code.ShouldBe(code);
    }

    [Fact]
    public void ServicePrincipal_MultiTenantKeyword_IsRefused()
    {
        var app = Entra();
        app.Type = "service-principal";
        app.Tenant = "common";
        Errors(app).ShouldHaveSingleItem().Field.ShouldBe("tenant");
    }

    [Theory]
    [InlineData("line\nbreak", "secret_has_line_break")]
    [InlineData("Qx8~T2p.Kk4Zr-1Lw9vNc3Hy7Ub5Fe0Ga6Md~Js\r\n", "secret_has_line_break")]
    [InlineData(" Qx8~T2p.Kk4Zr-1Lw9vNc3Hy7Ub5Fe0Ga6Md~Js", "secret_has_whitespace")]
    [InlineData("Qx8~T2p.Kk4Zr\t1Lw9vNc3Hy7Ub5Fe0Ga6Md~Js", "secret_has_whitespace")]
    [InlineData("0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e", "secret_looks_like_secret_id")]
    [InlineData("", "missing_client_secret")]
    public void Secret_CommonPasteMistakes_AreCaught(string value, string code)
    {
        var app = Entra();
        app.ClientSecrets![0].Value = value;
        var error = Errors(app).ShouldHaveSingleItem();
        error.Code.ShouldBe(code);
        error.Field.ShouldBe("clientSecrets[0].value");
    }

    [Fact]
    public void Secret_Messages_NeverEchoTheValue()
    {
        var app = Entra();
        app.ClientSecrets![0].Value = "Secret With Spaces Inside ~ 1234567890";
        var issue = Errors(app).ShouldHaveSingleItem();
        issue.ToString().ShouldNotContain("Spaces Inside");
    }

    [Fact]
    public void Secret_ExpiringWithin30Days_Warns()
    {
        var app = Entra();
        app.ClientSecrets![0].ExpiresAt = Now.AddDays(12);
        var issue = AppValidator.Validate(app, Context).ShouldHaveSingleItem();
        issue.IsError.ShouldBeFalse();
        issue.Code.ShouldBe("secret_expiring");
        issue.Message.ShouldContain("12 days");
    }

    [Fact]
    public void Secret_Expired_Warns()
    {
        var app = Entra();
        app.ClientSecrets![0].ExpiresAt = Now.AddDays(-1);
        AppValidator.Validate(app, Context).ShouldHaveSingleItem().Code.ShouldBe("secret_expired");
    }

    [Fact]
    public void Secret_DuplicateIds_AreRefused()
    {
        var app = Entra();
        app.ClientSecrets!.Add(new ClientSecretDefinition { Id = "a", Value = "Zz9~A1b.Cc2Dd-3Ee4Ff5Gg6Hh7Ii8Jj9Kk0LlMm" });
        Errors(app).ShouldHaveSingleItem().Code.ShouldBe("duplicate_secret_id");
    }

    [Theory]
    [InlineData("http://adobridge.contoso.example", "insecure_public_base_url")]
    [InlineData("adobridge.contoso.example", "invalid_public_base_url")]
    [InlineData("https://adobridge.contoso.example/?x=1", "invalid_public_base_url")]
    public void PublicBaseUrl_Refused(string url, string code)
    {
        var app = Entra();
        app.PublicBaseUrl = url;
        Errors(app).ShouldHaveSingleItem().Code.ShouldBe(code);
    }

    [Theory]
    [InlineData("http://localhost:5080")]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("https://adobridge.contoso.example/bridge")]
    public void PublicBaseUrl_Accepted(string url)
    {
        var app = Entra();
        app.PublicBaseUrl = url;
        Errors(app).ShouldBeEmpty();
    }

    [Fact]
    public void Legacy_WarnsAboutRetirement()
    {
        var app = new AppDefinition
        {
            Type = "legacy",
            ClientId = "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b",
            ClientSecret = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.abc",
            Scopes = ["vso.code"],
        };
        var issues = AppValidator.Validate(app, Context);
        issues.Where(i => i.IsError).ShouldBeEmpty();
        issues.ShouldContain(i => i.Code == "legacy_app_retiring" && !i.IsError);
    }

    [Theory]
    [InlineData("user_impersonation")]
    [InlineData(".default")]
    [InlineData("vso.code_write")]
    [InlineData("499b84ac-1321-427f-aa17-267ca6975798/user_impersonation")]
    public void Scopes_AzureDevOpsForms_AreAccepted(string scope)
    {
        var app = Entra();
        app.Scopes = [scope, "offline_access"];
        Errors(app).ShouldBeEmpty();
    }

    [Fact]
    public void Scopes_DefaultMixedWithOthers_IsRefused()
    {
        var app = Entra();
        app.Scopes = [".default", "vso.code"];
        Errors(app).ShouldHaveSingleItem().Code.ShouldBe("invalid_scope");
    }

    [Fact]
    public void Pat_ForServer_NeedsNoClient()
    {
        var app = new AppDefinition { Type = "pat", AzureDevOps = new AzureDevOpsTarget { ServerUrl = "https://ado.contoso.example/tfs/DefaultCollection" } };
        AppValidator.Validate(app, Context).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("https://dev.azure.com/fabrikam", "services_url_as_server")]
    [InlineData("https://ado.contoso.example", "missing_collection")]
    public void ServerUrl_Mistakes_AreNamed(string url, string code)
    {
        var app = new AppDefinition { Type = "pat", AzureDevOps = new AzureDevOpsTarget { ServerUrl = url } };
        Errors(app).ShouldHaveSingleItem().Code.ShouldBe(code);
    }

    [Fact]
    public void ManyMistakes_AreAllReportedAtOnce()
    {
        var app = Entra();
        app.Tenant = "nope";
        app.ClientId = "nope";
        app.ClientSecrets![0].Value = "0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e";
        Errors(app).Select(e => e.Field).ShouldBe(["tenant", "clientId", "clientSecrets[0].value"], ignoreOrder: true);
    }
}
