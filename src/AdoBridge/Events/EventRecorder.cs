using System.Text.Json;
using AdoBridge.Storage;

namespace AdoBridge.Events;

/// <summary>Lifecycle event types the product can subscribe to.</summary>
internal static class LifecycleEvents
{
    public const string ConnectionCreated = "connection.created";
    public const string ConnectionReconnected = "connection.reconnected";
    public const string ConnectionNeedsReauth = "connection.needs_reauth";
    public const string ConnectionError = "connection.error";
    public const string ConnectionDeleted = "connection.deleted";
    public const string AppSecretExpiring = "app.secret_expiring";
}

/// <summary>Adds events to the caller's unit of work, so an event is stored if and only if the change it reports is.</summary>
internal sealed class EventRecorder(TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public EventEntity Add(AdoBridgeDbContext db, string environmentId, string type, string? connectionId, object data)
    {
        var now = clock.GetUtcNow();
        var entity = new EventEntity
        {
            Id = Ids.New("evt", clock),
            EnvironmentId = environmentId,
            Type = type,
            ConnectionId = connectionId,
            Payload = JsonSerializer.Serialize(data, Json),
            CreatedAt = now,
        };
        db.Events.Add(entity);
        return entity;
    }

    public AuditEntity Audit(AdoBridgeDbContext db, string environmentId, string action, string? connectionId, string actor)
    {
        var entity = new AuditEntity
        {
            Id = Ids.New("aud", clock),
            EnvironmentId = environmentId,
            Action = action,
            ConnectionId = connectionId,
            Actor = actor,
            CreatedAt = clock.GetUtcNow(),
        };
        db.AuditLog.Add(entity);
        return entity;
    }
}
