using System.Text.Json;
using Json.Schema;

namespace AdoBridge.IntegrationTests.Mcp;

/// <summary>JSON Schema checks with JsonSchema.Net (draft 2020-12, MCP's default dialect).</summary>
public static class McpSchemas
{
    /// <summary>2020-12 with unknown keywords allowed: MCP's `x-mcp-header` is an extension keyword, as JSON Schema permits.</summary>
    private static readonly BuildOptions Build = new() { Dialect = Dialect.Draft202012.With([], allowUnknownKeywords: true) };

    /// <summary>The schema compiles (JsonSchema.Net refuses malformed schemas) and is valid against the 2020-12 meta-schema.</summary>
    public static JsonSchema ShouldBeValidSchema(this JsonElement schema, string what)
    {
        var compiled = JsonSchema.FromText(schema.GetRawText(), Build);
        var meta = MetaSchemas.Draft202012.Evaluate(schema, new EvaluationOptions { OutputFormat = OutputFormat.List });
        meta.IsValid.ShouldBeTrue($"{what}: not a valid JSON Schema: {JsonSerializer.Serialize(meta)}");
        return compiled;
    }

    public static void ShouldConformTo(this JsonElement value, JsonElement schema, string what)
    {
        var result = JsonSchema.FromText(schema.GetRawText(), Build).Evaluate(value, new EvaluationOptions { OutputFormat = OutputFormat.List });
        result.IsValid.ShouldBeTrue($"{what}: the structured content does not conform to the output schema: {JsonSerializer.Serialize(result)[..Math.Min(2000, JsonSerializer.Serialize(result).Length)]}");
    }
}
