using System.Net;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace AdoBridge.IntegrationTests.Apps;

/// <summary>A sandbox AdoBridge whose every log line (Debug and up, HTTP client lines included) is captured.</summary>
public sealed class KeylessServerFixture : IAsyncLifetime
{
    private AdoBridgeServer? server;

    internal CapturingLoggerProvider Logs { get; } = new();

    public AdoBridgeServer Server => server ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => server = await StartAsync(Logs);

    internal static Task<AdoBridgeServer> StartAsync(CapturingLoggerProvider logs) => AdoBridgeServer.StartAsync(
        new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Information",
        },
        configure: b => b.Logging.AddProvider(logs));

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

/// <summary>
/// Service principals without a client secret: the host's managed identity (in sandbox mode, the emulator plays IMDS) and
/// workload identity federation (a token file signed by an issuer the emulated Entra trusts). Real HTTP all the way.
/// </summary>
public sealed class KeylessServicePrincipalTests(KeylessServerFixture fixture) : IClassFixture<KeylessServerFixture>
{
    private AdoBridgeServer Server => fixture.Server;

    [Fact]
    public async Task ManagedIdentity_SystemAssigned_Connects_AndActionsAndProxyWork()
    {
        var clientId = await Server.AssignManagedIdentityAsync(systemAssigned: true);
        await Server.PutAppAsync("mi-system", await Server.ServicePrincipalAsync(clientId, useManagedIdentity: true));

        var created = await (await Server.ConnectServicePrincipalAsync("mi-system")).ShouldBeJsonAsync(HttpStatusCode.Created);

        var id = created.GetProperty("id").GetString()!;
        await Server.ShouldReachAzureDevOpsAsync(id);
        using var api = Server.Client();
        (await (await api.PostAsync($"/v1/connections/{id}/refresh", null)).ShouldBeJsonAsync()).GetProperty("status").GetString().ShouldBe("active");
        var doctor = await Server.DoctorCredentialsAsync("mi-system");
        doctor.GetProperty("status").GetString().ShouldBe("pass", doctor.ToString());
        doctor.GetProperty("message").GetString()!.ShouldContain("system-assigned managed identity");
        var token = (await (await api.PostAsync($"/v1/connections/{id}/access-token", null)).ShouldBeJsonAsync()).GetProperty("accessToken").GetString()!;
        fixture.Logs.ShouldNotContain(token, "The managed identity's access token");
    }

    [Fact]
    public async Task ManagedIdentity_UserAssignedNotOnThisHost_IsRefusedWithTheCause()
    {
        await Server.AssignManagedIdentityAsync(systemAssigned: false);
        var missing = Guid.NewGuid().ToString();
        await Server.PutAppAsync("mi-missing", await Server.ServicePrincipalAsync(missing, useManagedIdentity: true, managedIdentityClientId: missing));

        var problem = await (await Server.ConnectServicePrincipalAsync("mi-missing")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "identity_refused");

        problem.GetProperty("detail").GetString()!.ShouldContain("Identity not found");
        var doctor = await Server.DoctorCredentialsAsync("mi-missing");
        doctor.GetProperty("status").GetString().ShouldBe("fail");
        doctor.GetProperty("message").GetString()!.ShouldContain($"No managed identity with client id {missing}");
        doctor.GetProperty("message").GetString()!.ShouldContain("managed_identity_refused");
        doctor.GetProperty("fix").GetString()!.ShouldContain("managedIdentityClientId");
    }

    [Fact]
    public async Task FederatedToken_Connects_AndActionsAndProxyWork_WithoutLoggingTheAssertion()
    {
        using var issuer = new TestIssuer();
        var clientId = await Server.RegisterFederatedAppAsync(issuer);
        var file = Path.Combine(Server.DataDir, "fed-ok.jwt");
        var assertion = issuer.Sign(KeylessSetup.Subject, await Server.EmulatorNowAsync(), TimeSpan.FromHours(1));
        await File.WriteAllTextAsync(file, assertion + "\n");
        await Server.PutAppAsync("fed-ok", await Server.ServicePrincipalAsync(clientId, federatedTokenFile: file));

        var created = await (await Server.ConnectServicePrincipalAsync("fed-ok")).ShouldBeJsonAsync(HttpStatusCode.Created);

        await Server.ShouldReachAzureDevOpsAsync(created.GetProperty("id").GetString()!);
        var doctor = await Server.DoctorCredentialsAsync("fed-ok");
        doctor.GetProperty("status").GetString().ShouldBe("pass", doctor.ToString());
        fixture.Logs.ShouldNotContain(assertion, "The client assertion");
        fixture.Logs.ShouldNotContain(assertion.Split('.')[2], "The client assertion's signature");
    }

    public static TheoryData<string, string, string> FederationFailures => new()
    {
        // case, the code in the doctor's message, a phrase of its fix
        { "unknown-issuer", "AADSTS700211", "Issuer is exactly the token's issuer" },
        { "wrong-subject", "AADSTS700213", "system:serviceaccount:" },
        { "wrong-audience", "AADSTS70021", "api://AzureADTokenExchange" },
        { "expired", "AADSTS700024", "AZURE_FEDERATED_TOKEN_FILE" },
        { "not-a-jwt", "AADSTS50027", "three base64url parts" },
        { "missing-file", "federated_token_unreadable", "AZURE_FEDERATED_TOKEN_FILE" },
    };

    [Theory]
    [MemberData(nameof(FederationFailures))]
    public async Task FederatedToken_EachWayItIsRefused_IsAProblemAndADoctorFindingWithItsCode(string failure, string code, string fix)
    {
        using var issuer = new TestIssuer();
        using var stranger = new TestIssuer();
        var clientId = await Server.RegisterFederatedAppAsync(issuer);
        var now = await Server.EmulatorNowAsync();
        var app = "fed-" + failure;
        var file = Path.Combine(Server.DataDir, app + ".jwt");
        var assertion = failure switch
        {
            "unknown-issuer" => stranger.Sign(KeylessSetup.Subject, now, TimeSpan.FromHours(1)),
            "wrong-subject" => issuer.Sign("system:serviceaccount:ado:someone-else", now, TimeSpan.FromHours(1)),
            "wrong-audience" => issuer.Sign(KeylessSetup.Subject, now, TimeSpan.FromHours(1), audience: "api://SomethingElse"),
            "expired" => issuer.Sign(KeylessSetup.Subject, now.AddHours(-3), TimeSpan.FromHours(1)),
            _ => "this-is-not-a-token",
        };
        if (failure != "missing-file")
        {
            await File.WriteAllTextAsync(file, assertion);
        }

        await Server.PutAppAsync(app, await Server.ServicePrincipalAsync(clientId, federatedTokenFile: file));

        var problem = await (await Server.ConnectServicePrincipalAsync(app)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "identity_refused");
        problem.GetProperty("detail").GetString()!.ShouldContain(code);
        var doctor = await Server.DoctorCredentialsAsync(app);
        doctor.GetProperty("status").GetString().ShouldBe("fail");
        doctor.GetProperty("message").GetString()!.ShouldContain($"({code})");
        doctor.GetProperty("fix").GetString()!.ShouldContain(fix);
        fixture.Logs.ShouldNotContain(assertion, "The refused client assertion");
    }
}
