using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Actions;

/// <summary>A sandbox AdoBridge with alice's Entra connection to fabrikam, shared by the tests of a class.</summary>
public sealed class ActionsFixture : IAsyncLifetime
{
    public const string Project = "Fabrikam-Fiber-Git";
    public const string Repository = "Fabrikam-Fiber-Git";
    public const string AliceId = "a11ce5e5-0000-4000-8000-000000000001";

    private AdoBridgeServer? server;

    public AdoBridgeServer Server => server ?? throw new InvalidOperationException("Not started.");

    public string ConnectionId { get; private set; } = string.Empty;

    /// <summary>The connection's fabrikam organisation: /v1/connections/{id}/organizations/fabrikam.</summary>
    public string Org => $"/v1/connections/{ConnectionId}/organizations/fabrikam";

    public string ProjectPath => $"{Org}/projects/{Project}";

    public string RepoPath => $"{ProjectPath}/repositories/{Repository}";

    public async Task InitializeAsync()
    {
        server = await AdoBridgeServer.StartAsync();
        ConnectionId = await server.ConnectWithMicrosoftAsync("actions-user");
    }

    public async Task FaultAsync(object fault)
    {
        using var emulator = await Server.EmulatorAdminAsync();
        (await emulator.PostAsJsonAsync("faults", fault)).EnsureSuccessStatusCode();
    }

    public async Task ClearFaultsAsync()
    {
        using var emulator = await Server.EmulatorAdminAsync();
        await emulator.DeleteAsync("faults");
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
