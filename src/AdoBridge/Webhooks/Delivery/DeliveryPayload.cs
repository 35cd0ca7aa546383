using System.Globalization;
using System.Text.Json;
using AdoBridge.Storage;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>
/// The body the product receives: `{"id", "type", "timestamp", "data", "connectionId", "organization", "project", "repository",
/// "azureDevOpsEventId"}`, nulls left out. It is built from the stored event alone, so every retry and replay sends the same bytes.
/// </summary>
internal static class DeliveryPayload
{
    public static byte[] Build(EventEntity e)
    {
        using var buffer = new MemoryStream(e.Payload.Length + 256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", e.Id);
            json.WriteString("type", e.Type);
            json.WriteString("timestamp", e.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            json.WritePropertyName("data");
            json.WriteRawValue(e.Payload, skipInputValidation: false);
            WriteOptional(json, "connectionId", e.ConnectionId);
            WriteOptional(json, "organization", e.Organization);
            WriteOptional(json, "project", e.Project);
            WriteOptional(json, "repository", e.Repository);
            WriteOptional(json, "azureDevOpsEventId", e.SourceEventId);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
