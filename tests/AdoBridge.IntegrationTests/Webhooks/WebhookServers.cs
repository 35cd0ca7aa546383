using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.Events;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Storage;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.IntegrationTests.Webhooks;

/// <summary>AdoBridge servers with delivery timings shrunk for tests, and shortcuts for endpoints and events.</summary>
internal static class WebhookServers
{
    public const string Environment = "sandbox";

    /// <summary>Fast polling, a retry schedule of 3 × 200 ms (4 attempts in all), a 1 s timeout and a circuit that only a test that wants it trips.</summary>
    public static Dictionary<string, string?> FastDelivery(Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings.TryAdd("AdoBridge:Webhooks:PollInterval", "00:00:00.100");
        settings.TryAdd("AdoBridge:Webhooks:Timeout", "00:00:01");
        settings.TryAdd("AdoBridge:Webhooks:LeaseMargin", "00:00:05");
        settings.TryAdd("AdoBridge:Webhooks:RetryJitter", "0");
        settings.TryAdd("AdoBridge:Webhooks:RetrySchedule:0", "00:00:00.200");
        settings.TryAdd("AdoBridge:Webhooks:RetrySchedule:1", "00:00:00.200");
        settings.TryAdd("AdoBridge:Webhooks:RetrySchedule:2", "00:00:00.200");
        settings.TryAdd("AdoBridge:Webhooks:CircuitBreakerThreshold", "100");
        return settings;
    }

    public static async Task<AdoBridgeServer> StartAsync(string engine = StorageEngine.Sqlite, Dictionary<string, string?>? settings = null)
    {
        var all = await StorageEngine.SettingsAsync(engine);
        foreach (var (key, value) in FastDelivery(settings))
        {
            all[key] = value;
        }

        return await AdoBridgeServer.StartAsync(all);
    }

    /// <summary>Registers an endpoint; returns its id and secret.</summary>
    public static async Task<(string Id, string Secret)> CreateEndpointAsync(this HttpClient api, Uri url, params string[] events)
    {
        var created = await (await api.PostAsJsonAsync("/v1/webhook-endpoints", new { url, events = events.Length == 0 ? ["*"] : events }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        return (created.GetProperty("id").GetString()!, created.GetProperty("secret").GetString()!);
    }

    /// <summary>Stores events as ingest would (undispatched, from Azure DevOps) and wakes the dispatcher; returns their ids.</summary>
    public static async Task<IReadOnlyList<string>> AddEventsAsync(this AdoBridgeServer server, int count, string type = "pull_request.created", string environment = Environment)
    {
        var clock = TimeProvider.System;
        var events = Enumerable.Range(0, count).Select(i => new EventEntity
        {
            Id = Ids.New("evt", clock),
            EnvironmentId = environment,
            Type = type,
            Source = EventSources.AzureDevOps,
            SourceEventId = Guid.NewGuid().ToString(),
            SourceEventType = "git.pullrequest.created",
            Organization = "fabrikam",
            Project = "Fabrikam-Fiber-Git",
            Repository = "Fabrikam-Fiber-Git",
            Payload = JsonSerializer.Serialize(new { pullRequestId = 1000 + i, title = $"PR {i}" }),
            RawPayload = JsonSerializer.Serialize(new { eventType = "git.pullrequest.created", resource = new { pullRequestId = 1000 + i } }),
            CreatedAt = clock.GetUtcNow(),
        }).ToList();
        var contexts = server.Service<IDbContextFactory<AdoBridgeDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            db.Events.AddRange(events);
            await db.SaveChangesAsync();
        }

        server.Service<EventSignal>().Notify();
        return events.Select(e => e.Id).ToList();
    }

    public static async Task<JsonElement> EventAsync(this HttpClient api, string id)
        => await (await api.GetAsync($"/v1/events/{id}")).ShouldBeJsonAsync();

    /// <summary>Polls the event log until the event's status is <paramref name="status"/>; returns the event.</summary>
    public static async Task<JsonElement> WaitForEventStatusAsync(this HttpClient api, string id, string status, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var e = await api.EventAsync(id);
            if (e.GetProperty("status").GetString() == status)
            {
                return e;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Event {id} is '{e.GetProperty("status").GetString()}', not '{status}': {e}");
            }

            await Task.Delay(50);
        }
    }
}
