using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.Emulator;

namespace AdoBridge.IntegrationTests.Emulator;

/// <summary>The emulated host's managed-identity endpoints and Entra's client assertions from a federated issuer, on the wire.</summary>
public sealed class KeylessEmulatorTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    private const string Resource = EmulatorDefaults.AzureDevOpsResourceId;
    private const string Imds = "169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=" + Resource;
    private const string AppService = "managed-identity/msi/token?api-version=2019-08-01&resource=" + Resource;

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private Task<HttpResponseMessage> GetAsync(string url, string? header = null, string? value = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        return fx.Http.SendAsync(request);
    }

    [Fact]
    public async Task Imds_SystemAssignedIdentity_GetsATokenAzureDevOpsAccepts()
    {
        var clientId = Guid.NewGuid().ToString();
        fx.State.AssignManagedIdentity(clientId, EmulatorDefaults.TenantId, systemAssigned: true, "vm identity");
        fx.State.AddServicePrincipalToOrganization("fabrikam", clientId);

        var token = await JsonOf(await GetAsync(Imds, "Metadata", "true"), HttpStatusCode.OK);

        token.GetProperty("client_id").GetString().ShouldBe(clientId);
        long.Parse(token.GetProperty("expires_on").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        using var ado = new HttpRequestMessage(HttpMethod.Get, "dev.azure.com/fabrikam/_apis/projects?api-version=7.1");
        ado.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("access_token").GetString());
        (await fx.Http.SendAsync(ado)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Imds_WithoutMetadataHeader_Or_ForAnUnknownIdentity_Is400()
    {
        var noHeader = await JsonOf(await GetAsync(Imds), HttpStatusCode.BadRequest);
        noHeader.GetProperty("error_description").GetString().ShouldBe("Required metadata header not specified");

        var unknown = await JsonOf(await GetAsync(Imds + "&client_id=" + Guid.NewGuid(), "Metadata", "true"), HttpStatusCode.BadRequest);
        unknown.GetProperty("error").GetString().ShouldBe("invalid_request");
        unknown.GetProperty("error_description").GetString().ShouldBe("Identity not found");
    }

    [Fact]
    public async Task AppService_NeedsTheIdentityHeader_AndKnowsItsIdentities()
    {
        var clientId = Guid.NewGuid().ToString();
        fx.State.AssignManagedIdentity(clientId, EmulatorDefaults.TenantId, systemAssigned: false, "user identity");
        var url = AppService + "&client_id=" + clientId;

        (await JsonOf(await GetAsync(url), HttpStatusCode.BadRequest)).GetProperty("message").GetString()!.ShouldContain("X-IDENTITY-HEADER");
        (await JsonOf(await GetAsync(url, "X-IDENTITY-HEADER", "wrong"), HttpStatusCode.BadRequest)).GetProperty("message").GetString()!.ShouldContain("IDENTITY_HEADER");
        var unknown = await JsonOf(await GetAsync(AppService + "&client_id=" + Guid.NewGuid(), "X-IDENTITY-HEADER", fx.State.ManagedIdentityHeader), HttpStatusCode.BadRequest);
        unknown.GetProperty("message").GetString().ShouldBe("Unable to load the proper Managed Identity.");

        var token = await JsonOf(await GetAsync(url, "X-IDENTITY-HEADER", fx.State.ManagedIdentityHeader), HttpStatusCode.OK);
        token.GetProperty("client_id").GetString().ShouldBe(clientId);
        token.GetProperty("token_type").GetString().ShouldBe("Bearer");
    }

    [Fact]
    public async Task ClientAssertion_MintedByATrustedIssuer_GetsAnAppOnlyToken_AndAnUntrustedOneGets700211()
    {
        var clientId = Guid.NewGuid().ToString();
        fx.State.RegisterEntraApp(new EntraAppRegistration(EmulatorDefaults.TenantId, clientId, "workload", [], []));
        const string issuer = "https://token.actions.example/";
        (await fx.Http.PostAsJsonAsync("_admin/federated-issuers", new { issuer })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await fx.Http.PostAsJsonAsync($"_admin/entra-apps/{clientId}/federated-credentials", new { name = "ci", issuer, subject = "repo:contoso/bot:ref:refs/heads/main" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var minted = await JsonOf(await fx.Http.PostAsJsonAsync("_admin/federated-issuers/token", new { issuer, subject = "repo:contoso/bot:ref:refs/heads/main" }), HttpStatusCode.OK);

        Task<HttpResponseMessage> Exchange(string assertion, string type = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") =>
            fx.Http.PostAsync($"{EmulatorDefaults.LoginHost}/{EmulatorDefaults.TenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = clientId,
                ["grant_type"] = "client_credentials",
                ["scope"] = Resource + "/.default",
                ["client_assertion_type"] = type,
                ["client_assertion"] = assertion,
            }));

        (await JsonOf(await Exchange(minted.GetProperty("token").GetString()!), HttpStatusCode.OK)).GetProperty("access_token").GetString().ShouldNotBeNullOrEmpty();
        var wrongType = await JsonOf(await Exchange(minted.GetProperty("token").GetString()!, "urn:ietf:params:oauth:client-assertion-type:saml2-bearer"), HttpStatusCode.BadRequest);
        wrongType.GetProperty("error_codes")[0].GetInt32().ShouldBe(900144);

        const string stranger = "https://stranger.example/";
        (await fx.Http.PostAsJsonAsync("_admin/federated-issuers", new { issuer = stranger })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var foreign = await JsonOf(await fx.Http.PostAsJsonAsync("_admin/federated-issuers/token", new { issuer = stranger, subject = "repo:contoso/bot:ref:refs/heads/main" }), HttpStatusCode.OK);
        var refused = await JsonOf(await Exchange(foreign.GetProperty("token").GetString()!), HttpStatusCode.Unauthorized);
        refused.GetProperty("error").GetString().ShouldBe("invalid_client");
        refused.GetProperty("error_description").GetString()!.ShouldStartWith($"AADSTS700211: No matching federated identity record found for presented assertion issuer '{stranger}'.");
    }
}
