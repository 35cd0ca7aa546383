using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AdoBridge.Mcp;

internal static class McpJson
{
    /// <summary>camelCase, as the REST API writes.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
}
