using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Webhooks;

/// <summary>A sandbox AdoBridge with alice's connection to fabrikam, for the subscription and ingest tests.</summary>
public sealed class ServiceHooksFixture : IAsyncLifetime
{
    public const string Project = "Fabrikam-Fiber-Git";
    public const string Repository = "Fabrikam-Fiber-Git";

    private AdoBridgeServer? server;

    public AdoBridgeServer Server => server ?? throw new InvalidOperationException("Not started.");

    public string ConnectionId { get; private set; } = string.Empty;

    public string Subscriptions => $"/v1/connections/{ConnectionId}/subscriptions";

    public string Proxy => $"/v1/proxy/{ConnectionId}/fabrikam";

    public async Task InitializeAsync()
    {
        // Health checks run only when a test asks, so they cannot race the tests' own checks.
        server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?> { ["AdoBridge:ServiceHooks:HealthCheckInterval"] = "00:00:00" });
        ConnectionId = await server.ConnectWithMicrosoftAsync("hooks-user");
    }

    public async Task<JsonElement> SubscribeAsync(params string[] events)
    {
        using var api = Server.Client();
        return await (await api.PostAsJsonAsync(Subscriptions, new { organization = "fabrikam", project = Project, events })).ShouldBeJsonAsync(HttpStatusCode.Created);
    }

    /// <summary>The ingest URL and secret Azure DevOps holds for a hook.</summary>
    public Task<(string Url, string Secret)> IngestOfAsync(JsonElement hook) => IngestOfAsync(Server, hook);

    /// <summary>The ingest URL and secret Azure DevOps holds for a hook (see <see cref="SandboxPayloads.IngestOfAsync"/>).</summary>
    public static async Task<(string Url, string Secret)> IngestOfAsync(AdoBridgeServer server, JsonElement hook)
    {
        using var api = server.Client();
        return await SandboxPayloads.IngestOfAsync(api, hook.GetProperty("azureSubscriptionId").GetString()!);
    }

    /// <summary>The id of the sandbox project the fixture subscribes to.</summary>
    public static string ProjectIdOf(JsonElement subscription) => subscription.GetProperty("project").GetProperty("id").GetString()!;

    /// <summary>Events of the environment of one type, polled until <paramref name="count"/> are there or 10 s pass.</summary>
    public async Task<List<JsonElement>> EventsAsync(string type, int count = 1, Func<JsonElement, bool>? where = null)
    {
        using var api = Server.Client();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var body = await (await api.GetAsync($"/v1/events?type={type}&connectionId={ConnectionId}&limit=500")).ShouldBeJsonAsync();
            var items = body.GetProperty("items").EnumerateArray().Where(e => where?.Invoke(e) ?? true).ToList();
            if (items.Count >= count || DateTime.UtcNow > deadline)
            {
                return items;
            }

            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
