using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdoBridge.Mcp.Approvals;

/// <summary>
/// What an approval is bound to: SHA-256 over the call's arguments in a canonical form (object members sorted by name,
/// JSON without spaces), leaving out `approval` itself and `connection` (the resolved connection is compared on its own).
/// </summary>
internal static class McpArgumentsHash
{
    public const string ApprovalArgument = "approval";

    public static string Of(IReadOnlyDictionary<string, JsonElement> arguments)
    {
        var canonical = new JsonObject();
        foreach (var (name, value) in arguments.Where(a => a.Key is not (ApprovalArgument or "connection")).OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            canonical[name] = Canonical(JsonSerializer.SerializeToNode(value));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToJsonString())));
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Canonical).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
