using System.Collections.Frozen;

namespace AdoBridge.Mcp;

/// <summary>The tools, built once: by name (and old names), and in tools/list order (by name, ordinal).</summary>
internal sealed class McpToolRegistry
{
    private readonly FrozenDictionary<string, McpTool> byName;
    private readonly FrozenDictionary<string, string> aliases;

    public McpToolRegistry()
        : this(McpToolCatalog.Create(), McpToolCatalog.Aliases)
    {
    }

    public McpToolRegistry(IReadOnlyList<McpTool> tools, IReadOnlyDictionary<string, string> aliases)
    {
        Tools = [.. tools.OrderBy(t => t.Name, StringComparer.Ordinal)];
        byName = tools.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);
        this.aliases = aliases.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Every tool, ordered by name so tools/list is deterministic.</summary>
    public IReadOnlyList<McpTool> Tools { get; }

    /// <summary>The tool of that name, or of that former name.</summary>
    public McpTool? Find(string name)
        => byName.GetValueOrDefault(name) ?? (aliases.TryGetValue(name, out var current) ? byName.GetValueOrDefault(current) : null);
}
