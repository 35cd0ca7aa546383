namespace AdoBridge.IntegrationTests.Infrastructure;

/// <summary>One sandbox-mode AdoBridge on SQLite, shared by the tests of a class.</summary>
public sealed class SandboxServerFixture : IAsyncLifetime
{
    private AdoBridgeServer? server;

    public AdoBridgeServer Server => server ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => server = await AdoBridgeServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
