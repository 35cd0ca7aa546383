using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using AdoBridge.Actions;

namespace AdoBridge.Mcp;

/// <summary>A wrong argument: the tool answers a tool error with code `invalid_argument` naming it.</summary>
internal sealed class McpArgumentException(string argument, string message) : Exception(message)
{
    public string Argument { get; } = argument;
}

/// <summary>One tools/call as an action sees it: who calls, as which connection, and its arguments read with their JSON types checked.</summary>
internal sealed class McpToolCall(
    IReadOnlyDictionary<string, JsonElement> arguments, string connectionId, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
{
    public string ConnectionId { get; } = connectionId;
    public ClaimsPrincipal User { get; } = user;
    public ActionCaller Caller { get; } = caller;
    public CancellationToken Ct { get; } = ct;

    /// <summary>The `organization` argument (required by the schema of every tool that reads it).</summary>
    public string Org => Str(McpToolInput.OrganizationArgument) ?? string.Empty;

    public string? Str(string name)
    {
        if (!Present(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Wrong(name, "a string");
    }

    /// <summary>A string argument the schema requires (checked before the call), as a path segment.</summary>
    public string Req(string name) => Str(name) ?? string.Empty;

    public int? Int(string name)
    {
        if (!Present(name, out var value))
        {
            return null;
        }

        // A client may send 5.0 for an integer; a string or a fraction is refused.
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            return (int)d;
        }

        throw Wrong(name, "an integer");
    }

    public int ReqInt(string name) => Int(name) ?? throw new McpArgumentException(name, $"`{name}` is required.");

    public bool? Bool(string name)
    {
        if (!Present(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(name, "true or false"),
        };
    }

    /// <summary>A comma-separated list argument given as an array of strings or of integers (REST takes it as `1,2,3`).</summary>
    public string? List(string name)
    {
        if (!Present(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Array when value.EnumerateArray().All(v => v.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                => string.Join(',', value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetRawText() : v.GetString())),
            _ => throw Wrong(name, "an array of values"),
        };
    }

    public JsonElement Json(string name) => Present(name, out var value) ? value : default;

    /// <summary>The arguments as the action's request body (the same record the REST endpoint binds); unknown names are ignored.</summary>
    public T? Body<T>()
        where T : class
    {
        try
        {
            return JsonSerializer.SerializeToElement(arguments, McpJson.Options).Deserialize<T>(McpJson.Options);
        }
        catch (JsonException e)
        {
            var path = e.Path is { Length: > 2 } p ? p[2..] : "arguments";
            throw new McpArgumentException(path, $"`{path}` has the wrong type: {e.Message.Split(". Path")[0]}.");
        }
    }

    private bool Present(string name, out JsonElement value)
        => arguments.TryGetValue(name, out value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);

    private static McpArgumentException Wrong(string name, string expected)
        => new(name, string.Create(CultureInfo.InvariantCulture, $"`{name}` must be {expected}."));
}
