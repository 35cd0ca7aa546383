using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdoBridge.Webhooks.Normalization;

/// <summary>Reads a service-hook payload without ever throwing: a member of the wrong kind reads as absent.</summary>
/// <remarks>Everything put into a <see cref="JsonNode"/> is copied out of the element, so the normalised event stays valid
/// after the caller disposes the <see cref="JsonDocument"/> it parsed.</remarks>
internal static class HookJson
{
    public static bool TryObject(JsonElement parent, string name, out JsonElement value)
    {
        if (parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        value = default;
        return false;
    }

    public static bool TryArray(JsonElement parent, string name, out JsonElement value)
    {
        if (parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.Array)
        {
            return true;
        }

        value = default;
        return false;
    }

    public static string? Str(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static string? Str(JsonElement parent, string first, string second) =>
        TryObject(parent, first, out var inner) ? Str(inner, second) : null;

    public static string? Str(JsonElement parent, string first, string second, string third) =>
        TryObject(parent, first, out var inner) ? Str(inner, second, third) : null;

    public static long? Long(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : null;

    public static bool? Bool(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => null,
            }
            : null;

    /// <summary>An id Azure DevOps sends as a string (GUIDs) or, for some resources, as a number.</summary>
    public static string? Id(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    /// <summary>An identity reference as the product sees it: {id, displayName, uniqueName}; null when absent.</summary>
    public static JsonObject? Identity(JsonElement parent, string name) =>
        TryObject(parent, name, out var identity) ? Identity(identity) : null;

    public static JsonObject Identity(JsonElement identity) => new()
    {
        ["id"] = Str(identity, "id"),
        ["displayName"] = Str(identity, "displayName") ?? Str(identity, "name"),
        ["uniqueName"] = Str(identity, "uniqueName"),
    };

    /// <summary>{id, name} of a project or repository reference, or null when neither is known.</summary>
    public static JsonObject? Reference(string? id, string? name) => id is null && name is null ? null : new JsonObject
    {
        ["id"] = id,
        ["name"] = name,
    };

    /// <summary>A deep copy of any JSON value, independent of the source document. Numbers and structures are copied as
    /// they were written (Clone), so a number outside double's range or a deeply nested value survives unchanged.</summary>
    public static JsonNode? Copy(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => JsonValue.Create(value.GetString()),
        JsonValueKind.True => JsonValue.Create(true),
        JsonValueKind.False => JsonValue.Create(false),
        JsonValueKind.Number => JsonValue.Create(value.Clone()),
        JsonValueKind.Object => JsonObject.Create(value.Clone()),
        JsonValueKind.Array => JsonArray.Create(value.Clone()),
        _ => null,
    };

    /// <summary>The last path segment after <paramref name="marker"/> ("/threads/") as a number, e.g. a thread id in a link.</summary>
    public static long? NumberAfter(string? url, string marker)
    {
        if (url is null)
        {
            return null;
        }

        var at = url.LastIndexOf(marker, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var rest = url.AsSpan(at + marker.Length);
        var end = rest.IndexOfAny('/', '?', '#');
        return long.TryParse(end < 0 ? rest : rest[..end], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
    }

    /// <summary>Azure DevOps enum values come in either case ("succeeded" in resources, "Succeeded" in filters and messages).</summary>
    public static bool EqualsIgnoreCase(string? value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);
}
