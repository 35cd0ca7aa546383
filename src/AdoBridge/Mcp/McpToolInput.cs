using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdoBridge.Mcp;

/// <summary>Builds a tool's JSON Schema input: every tool takes `connection` (mirrored to the Mcp-Param-Connection header) and most `organization`.</summary>
internal sealed class McpToolInput
{
    public const string ConnectionArgument = "connection";
    public const string OrganizationArgument = "organization";

    /// <summary>The SEP-2243 name of the header a client may mirror `connection` into (sent as Mcp-Param-Connection).</summary>
    public const string ConnectionHeaderParameter = "Connection";

    private readonly JsonObject properties = [];
    private readonly List<string> required = [];

    private McpToolInput()
    {
        properties[ConnectionArgument] = new JsonObject
        {
            ["type"] = "string",
            ["description"] = "The AdoBridge connection to act as (conn_…). Optional when the request carries the X-AdoBridge-Connection header.",
            ["x-mcp-header"] = ConnectionHeaderParameter,
        };
    }

    /// <summary>Only `connection`.</summary>
    public static McpToolInput Connection() => new();

    /// <summary>`connection` and `organization`.</summary>
    public static McpToolInput Organization()
        => new McpToolInput().Str(OrganizationArgument, "The Azure DevOps organisation (or Server collection) as list_organizations names it.", required: true);

    public static McpToolInput Project() => Organization().Str("project", "The project name or id.", required: true);

    public static McpToolInput Repository() => Project().Str("repository", "The Git repository name or id.", required: true);

    public static McpToolInput PullRequest() => Repository().Int("pullRequestId", "The pull request id.", required: true, min: 1);

    public IReadOnlyList<string> Required => required;

    public McpToolInput Str(string name, string description, bool required = false, IReadOnlyList<string>? values = null, int? maxLength = null)
    {
        var schema = new JsonObject { ["type"] = "string", ["description"] = description };
        if (values is not null)
        {
            schema["enum"] = new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
        }

        if (maxLength is { } max)
        {
            schema["maxLength"] = max;
        }

        return Add(name, schema, required);
    }

    public McpToolInput Int(string name, string description, bool required = false, int? min = null, int? max = null)
    {
        var schema = new JsonObject { ["type"] = "integer", ["description"] = description };
        if (min is { } lo)
        {
            schema["minimum"] = lo;
        }

        if (max is { } hi)
        {
            schema["maximum"] = hi;
        }

        return Add(name, schema, required);
    }

    public McpToolInput Bool(string name, string description) => Add(name, new JsonObject { ["type"] = "boolean", ["description"] = description }, false);

    public McpToolInput StrArray(string name, string description, bool required = false)
        => Add(name, new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" }, ["description"] = description }, required);

    /// <summary>An object whose values are strings, by name (variables, parameters).</summary>
    public McpToolInput StrMap(string name, string description)
        => Add(name, new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" }, ["description"] = description }, false);

    /// <summary>Any schema the caller gives.</summary>
    public McpToolInput Raw(string name, JsonObject schema, bool required = false) => Add(name, schema, required);

    public JsonElement Build()
    {
        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties.DeepClone() };
        if (required.Count > 0)
        {
            schema["required"] = new JsonArray(required.Select(r => (JsonNode)JsonValue.Create(r)).ToArray());
        }

        return JsonSerializer.SerializeToElement(schema, McpJson.Options);
    }

    private McpToolInput Add(string name, JsonObject schema, bool isRequired)
    {
        properties[name] = schema;
        if (isRequired)
        {
            required.Add(name);
        }

        return this;
    }
}
