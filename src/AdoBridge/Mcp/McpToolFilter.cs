namespace AdoBridge.Mcp;

/// <summary>
/// Which tools a request may see and call, from Microsoft's remote-server headers as they are: `X-MCP-Toolsets` (comma
/// list; `core` is always on), `X-MCP-Tools` (comma list of names; with toolsets, the union), `X-MCP-Readonly: true`
/// (read-only tools only, whatever else is named). No header: every tool.
/// </summary>
internal sealed class McpToolFilter
{
    public const string ToolsetsHeader = "X-MCP-Toolsets";
    public const string ToolsHeader = "X-MCP-Tools";
    public const string ReadonlyHeader = "X-MCP-Readonly";

    public static readonly McpToolFilter All = new(null, null, false);

    private readonly HashSet<string>? toolsets;
    private readonly HashSet<string>? tools;

    private McpToolFilter(HashSet<string>? toolsets, HashSet<string>? tools, bool readOnly)
    {
        this.toolsets = toolsets;
        this.tools = tools;
        ReadOnly = readOnly;
    }

    public bool ReadOnly { get; }

    public bool Allows(McpTool tool)
        => (!ReadOnly || tool.ReadOnly)
            && ((toolsets is null && tools is null) || toolsets?.Contains(tool.Toolset) == true || tools?.Contains(tool.Name) == true);

    /// <summary>The filter the headers ask for, or an error naming the value that is not a toolset, a tool or a boolean.</summary>
    public static (McpToolFilter? Filter, string? Error) FromHeaders(IHeaderDictionary headers, McpToolRegistry registry)
    {
        HashSet<string>? toolsets = null;
        HashSet<string>? tools = null;
        foreach (var name in Values(headers, ToolsetsHeader))
        {
            var toolset = McpToolCatalog.ToolsetAliases.GetValueOrDefault(name, name.ToLowerInvariant());
            if (!McpToolCatalog.Toolsets.Contains(toolset))
            {
                return (null, $"{ToolsetsHeader} names '{Cut(name)}', which is not a toolset. Toolsets: {string.Join(", ", McpToolCatalog.Toolsets)} (and Microsoft's 'wit').");
            }

            (toolsets ??= [McpToolCatalog.Core]).Add(toolset);
        }

        foreach (var name in Values(headers, ToolsHeader))
        {
            if (registry.Find(name) is not { } tool)
            {
                return (null, $"{ToolsHeader} names '{Cut(name)}', which is not a tool. tools/list without the header lists them all.");
            }

            (tools ??= new HashSet<string>(StringComparer.Ordinal)).Add(tool.Name);
        }

        var readOnly = false;
        if (headers.TryGetValue(ReadonlyHeader, out var flag) && flag.ToString().Trim() is { Length: > 0 } text && !bool.TryParse(text, out readOnly))
        {
            return (null, $"{ReadonlyHeader} must be true or false, not '{Cut(text)}'.");
        }

        return toolsets is null && tools is null && !readOnly ? (All, null) : (new McpToolFilter(toolsets, tools, readOnly), null);
    }

    private static IEnumerable<string> Values(IHeaderDictionary headers, string header)
        => headers.TryGetValue(header, out var values)
            ? values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            : [];

    private static string Cut(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
