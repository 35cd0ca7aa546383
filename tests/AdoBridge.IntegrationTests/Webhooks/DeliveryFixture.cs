using System.Net;
using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Storage;

namespace AdoBridge.IntegrationTests.Webhooks;

/// <summary>
/// One SQLite and one PostgreSQL AdoBridge with fast delivery timings, shared by the delivery tests: each test works in
/// an environment of its own (its endpoints only see its events), so two server starts serve the whole collection.
/// </summary>
public sealed class DeliveryFixture : IAsyncLifetime
{
    public const string Name = "Webhook delivery";

    private AdoBridgeServer? sqlite;
    private AdoBridgeServer? postgres;

    public AdoBridgeServer Server(string engine = StorageEngine.Sqlite)
        => (engine == StorageEngine.Postgres ? postgres : sqlite) ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        Dictionary<string, string?> Settings() => new()
        {
            ["AdoBridge:Events:CleanupBatchSize"] = "2",
        };
        var starting = new[] { WebhookServers.StartAsync(StorageEngine.Sqlite, Settings()), WebhookServers.StartAsync(StorageEngine.Postgres, Settings()) };
        var started = await Task.WhenAll(starting);
        (sqlite, postgres) = (started[0], started[1]);
    }

    /// <summary>A client whose API key belongs to a new environment; returns it with the environment's id.</summary>
    public async Task<(HttpClient Api, string Environment)> NewEnvironmentAsync(string engine = StorageEngine.Sqlite)
    {
        var server = Server(engine);
        var environment = "env-" + Guid.NewGuid().ToString("N")[..10];
        using var admin = server.Client();
        (await admin.PostAsJsonAsync("/v1/admin/environments", new { id = environment })).EnsureSuccessStatusCode();
        var key = await (await admin.PostAsJsonAsync("/v1/admin/api-keys", new { name = environment, environment })).ShouldBeJsonAsync(HttpStatusCode.Created);
        return (server.Client(key.GetProperty("key").GetString()), environment);
    }

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { sqlite, postgres })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }
}

[CollectionDefinition(DeliveryFixture.Name)]
public sealed class DeliveryCollection : ICollectionFixture<DeliveryFixture>;
