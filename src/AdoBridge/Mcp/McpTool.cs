using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using AdoBridge.Actions;
using Microsoft.AspNetCore.Http.HttpResults;
using ModelContextProtocol.Protocol;

namespace AdoBridge.Mcp;

/// <summary>What a tool does to Azure DevOps, which sets its annotations.</summary>
internal enum McpToolEffect
{
    /// <summary>Reads only: readOnlyHint.</summary>
    Read,

    /// <summary>Adds or changes something that can be changed back: not read-only, not destructive.</summary>
    Write,

    /// <summary>May delete, overwrite or merge, or run code (pipelines): destructiveHint.</summary>
    Destructive,
}

/// <summary>
/// One tool: a typed action (the same handler the REST route calls) with its stable name, toolset, JSON Schema input,
/// output schema derived from the action's answer type, and annotations.
/// </summary>
internal sealed class McpTool
{
    private McpTool(string name, string toolset, string title, string description, McpToolEffect effect, bool idempotent, bool openWorld,
        McpToolInput input, Type answer, Func<McpToolCall, Task<IResult>> invoke)
    {
        Name = name;
        Toolset = toolset;
        Effect = effect;
        if (effect == McpToolEffect.Destructive)
        {
            input.Str(ApprovalArgument, "Only where the operator's policy asks for approvals: the approval id (mcpa_…) a pending result gave, once a person approved the call. Retry with the same arguments.");
        }

        Required = input.Required;
        Invoke = invoke;
        OutputSchema = OutputSchemaOf(answer);
        Protocol = new Tool
        {
            Name = name,
            Title = title,
            Description = description,
            InputSchema = input.Build(),
            OutputSchema = OutputSchema,
            Annotations = new ToolAnnotations
            {
                Title = title,
                ReadOnlyHint = effect == McpToolEffect.Read,
                DestructiveHint = effect == McpToolEffect.Destructive,
                IdempotentHint = idempotent,
                OpenWorldHint = openWorld,
            },
        };
    }

    /// <summary>The argument a destructive call's retry carries its approval id in (McpApprovalGate).</summary>
    public const string ApprovalArgument = "approval";

    public string Name { get; }
    public string Toolset { get; }
    public McpToolEffect Effect { get; }
    public bool ReadOnly => Effect == McpToolEffect.Read;
    public IReadOnlyList<string> Required { get; }
    public Func<McpToolCall, Task<IResult>> Invoke { get; }
    public JsonElement OutputSchema { get; }

    /// <summary>The tool as tools/list shows it.</summary>
    public Tool Protocol { get; }

    /// <summary>
    /// A tool over an action whose answer is <typeparamref name="T"/> (`Results&lt;Ok&lt;X&gt;, ProblemHttpResult&gt;` and the like).
    /// Reads are idempotent and never destructive; the world of every tool is the connection's Azure DevOps, closed,
    /// except for tools that run pipelines, whose code may reach anything (<paramref name="openWorld"/>).
    /// </summary>
    public static McpTool Create<T>(string name, string toolset, string title, string description, McpToolEffect effect, bool idempotent,
        McpToolInput input, Func<McpToolCall, Task<T>> invoke, bool openWorld = false)
        where T : IResult
        => new(name, toolset, title, description, effect, effect == McpToolEffect.Read || idempotent, openWorld, input, typeof(T), async call => await invoke(call));

    /// <summary>The JSON Schema of the success value: an Azure DevOps object, a page, or AdoBridge's own view (exported from its type).</summary>
    private static JsonElement OutputSchemaOf(Type answer)
    {
        var success = answer.IsGenericType ? answer.GetGenericArguments()[0] : answer;
        var value = success.IsGenericType ? success.GetGenericArguments()[0] : null;
        JsonNode schema = value is null ? new JsonObject { ["type"] = "object", ["description"] = "Empty: the action answers no content." }
            : value == typeof(JsonElement) ? new JsonObject { ["type"] = "object", ["description"] = "The Azure DevOps object, as its REST API answers it." }
            : value == typeof(ActionPage) ? new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject
                {
                    ["items"] = new JsonObject { ["type"] = "array", ["description"] = "The Azure DevOps objects of this page." },
                    ["continuationToken"] = new JsonObject { ["type"] = new JsonArray("string", "null"), ["description"] = "Pass it back as `continuationToken` for the next page; null on the last." },
                },
                ["required"] = new JsonArray("items"),
            }
            : JsonSchemaExporter.GetJsonSchemaAsNode(McpJson.Options, value, new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
        return JsonSerializer.SerializeToElement(schema, McpJson.Options);
    }
}
