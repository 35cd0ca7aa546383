using System.Net;
using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Apps;

/// <summary>Keyless sign-in over time and on App Service: each test has its own server, because it moves the emulator's clock or sets the host's environment.</summary>
public sealed class KeylessRotationTests
{
    [Fact]
    public async Task FederatedToken_RewrittenFile_IsReadOnTheNextRefresh()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await KeylessServerFixture.StartAsync(logs);
        using var issuer = new TestIssuer();
        var clientId = await server.RegisterFederatedAppAsync(issuer);
        var file = Path.Combine(server.DataDir, "projected-token");
        var first = issuer.Sign(KeylessSetup.Subject, await server.EmulatorNowAsync(), TimeSpan.FromMinutes(30));
        await File.WriteAllTextAsync(file, first);
        await server.PutAppAsync("fed-rotating", await server.ServicePrincipalAsync(clientId, federatedTokenFile: file));
        var id = (await (await server.ConnectServicePrincipalAsync("fed-rotating")).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        using var api = server.Client();
        using var emulator = await server.EmulatorAdminAsync();

        // An hour on, the first token has expired: Entra refuses it.
        (await emulator.PostAsJsonAsync("clock/advance", new { seconds = 3600 })).EnsureSuccessStatusCode();
        var refused = await (await api.PostAsync($"/v1/connections/{id}/refresh", null)).Content.ReadAsStringAsync();
        refused.ShouldContain("AADSTS700024");

        // Kubernetes rewrites the file with a fresh token; the next refresh reads it.
        var second = issuer.Sign(KeylessSetup.Subject, await server.EmulatorNowAsync(), TimeSpan.FromHours(1));
        await File.WriteAllTextAsync(file, second);
        (await (await api.PostAsync($"/v1/connections/{id}/refresh", null)).ShouldBeJsonAsync()).GetProperty("status").GetString().ShouldBe("active");
        await server.ShouldReachAzureDevOpsAsync(id);
        var token = (await (await api.PostAsync($"/v1/connections/{id}/access-token", null)).ShouldBeJsonAsync()).GetProperty("accessToken").GetString()!;

        // The capture saw the token requests themselves, so it would have seen a credential in them.
        logs.Lines.ShouldContain(l => l.Contains("oauth2/v2.0/token", StringComparison.Ordinal));
        foreach (var secret in new[] { first, second, token })
        {
            logs.ShouldNotContain(secret, "A client assertion or access token");
        }
    }

    [Fact]
    public async Task ManagedIdentity_AppServiceEndpoint_UserAssigned_Connects_AndAStaleHeaderIsExplained()
    {
        await using var server = await AdoBridgeServer.StartAsync();
        var clientId = await server.AssignManagedIdentityAsync(systemAssigned: false);
        using var emulator = await server.EmulatorAdminAsync();
        var endpoints = await (await emulator.GetAsync("managed-identities")).ShouldBeJsonAsync();
        // What App Service puts in the environment; AdoBridge reads it through configuration at each token request.
        server.App.Configuration["IDENTITY_ENDPOINT"] = endpoints.GetProperty("identityEndpoint").GetString();
        server.App.Configuration["IDENTITY_HEADER"] = endpoints.GetProperty("identityHeader").GetString();
        await server.PutAppAsync("mi-user", await server.ServicePrincipalAsync(clientId, useManagedIdentity: true, managedIdentityClientId: clientId));

        var created = await (await server.ConnectServicePrincipalAsync("mi-user")).ShouldBeJsonAsync(HttpStatusCode.Created);

        await server.ShouldReachAzureDevOpsAsync(created.GetProperty("id").GetString()!);
        (await server.DoctorCredentialsAsync("mi-user")).GetProperty("message").GetString()!.ShouldContain($"user-assigned managed identity {clientId}");

        server.App.Configuration["IDENTITY_HEADER"] = "stale-header-from-before-a-restart";
        var doctor = await server.DoctorCredentialsAsync("mi-user");
        doctor.GetProperty("status").GetString().ShouldBe("fail");
        doctor.GetProperty("message").GetString()!.ShouldContain("X-IDENTITY-HEADER");
        doctor.GetProperty("fix").GetString()!.ShouldContain("IDENTITY_HEADER");
    }
}
