using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Small pieces of the service's JSON: dates in UTC with a Z, IdentityRef, links.</summary>
internal static class DevOpsJson
{
    /// <summary>ISO 8601 in UTC ("2024-06-17T11:22:33.4567890Z"), like the service.</summary>
    public static DateTime Iso(DateTimeOffset value) => value.UtcDateTime;

    public static string IsoText(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>A JSON response without null members, as the service omits them.</summary>
    public static IResult Ok(object value, int statusCode = StatusCodes.Status200OK)
    {
        var node = JsonSerializer.SerializeToNode(value, Options);
        StripNulls(node);
        return Results.Json(node, Options, statusCode: statusCode);
    }

    public static JsonNode? ToNode(object value)
    {
        var node = JsonSerializer.SerializeToNode(value, Options);
        StripNulls(node);
        return node;
    }

    private static void StripNulls(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToArray())
            {
                obj.Remove(key);
            }

            foreach (var (_, child) in obj)
            {
                StripNulls(child);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array)
            {
                StripNulls(child);
            }
        }
    }

    public static Dictionary<string, object> Href(string href) => new() { ["href"] = href };

    public static string Descriptor(Guid id) => "aad." + Secrets.Base64Url(id.ToByteArray());

    /// <summary>IdentityRef {displayName, url, _links.avatar, id, uniqueName, imageUrl, descriptor} for a user (or an unknown id).</summary>
    public static Dictionary<string, object?> Identity(EmulatorData data, string orgUrl, string vsspsUrl, Guid id)
    {
        var user = data.Users.FirstOrDefault(u => u.Id == id);
        var descriptor = Descriptor(id);
        return new Dictionary<string, object?>
        {
            ["displayName"] = user?.DisplayName ?? id.ToString(),
            ["url"] = $"{vsspsUrl}/_apis/Identities/{id}",
            ["_links"] = new Dictionary<string, object> { ["avatar"] = Href($"{orgUrl}/_apis/GraphProfile/MemberAvatars/{descriptor}") },
            ["id"] = id.ToString(),
            ["uniqueName"] = user?.UserPrincipalName ?? id.ToString(),
            ["imageUrl"] = $"{orgUrl}/_apis/GraphProfile/MemberAvatars/{descriptor}",
            ["descriptor"] = descriptor,
        };
    }

    public static Dictionary<string, object?> Identity(DevOpsCall call, EmulatorData data, Guid id) =>
        Identity(data, call.OrgUrl, EmulatorUrls.Vssps(call.Http, call.Org.Name), id);

    /// <summary>A JSON value as text for comparisons (strings unquoted, numbers invariant).</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValueKind() == JsonValueKind.True ? "True" : "False",
        _ => node.ToJsonString(),
    };

    public static string? Text(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => element.GetRawText(),
    };

    public static string? Str(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static JsonElement? Prop(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    /// <summary>An enum sent as its name or as the number the official clients send (their enums are numeric).</summary>
    public static string? Enum(JsonElement obj, string name, params string[] namesByValue)
    {
        if (Prop(obj, name) is not { } v)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n))
        {
            return n >= 0 && n < namesByValue.Length ? namesByValue[n] : n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var text = v.GetString();
        return namesByValue.FirstOrDefault(x => string.Equals(x, text, StringComparison.OrdinalIgnoreCase)) ?? text;
    }
}
