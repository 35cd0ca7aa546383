using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.IntegrationTests.Webhooks.Streaming;

/// <summary>Stores lifecycle-style events through EF, as AdoBridge's own services do (so the commit wakes the stream).</summary>
internal static class StreamEvents
{
    public static async Task<string> AddAsync(this AdoBridgeServer server, string type, string? connectionId = null, string environment = WebhookServers.Environment)
    {
        var clock = TimeProvider.System;
        var e = new EventEntity
        {
            Id = Ids.New("evt", clock),
            EnvironmentId = environment,
            Type = type,
            ConnectionId = connectionId,
            Payload = JsonSerializer.Serialize(new { note = "stream test", type }),
            CreatedAt = clock.GetUtcNow(),
        };
        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        db.Events.Add(e);
        await db.SaveChangesAsync();
        return e.Id;
    }

    public static async Task<List<string>> AddManyAsync(this AdoBridgeServer server, int count, string type = "pull_request.created")
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await server.AddAsync(type));
        }

        return ids;
    }
}
