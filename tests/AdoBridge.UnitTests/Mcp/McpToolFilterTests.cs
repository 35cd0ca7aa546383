using AdoBridge.Mcp;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.UnitTests.Mcp;

/// <summary>Microsoft's X-MCP-* headers: toolsets plus core, named tools, read-only, and refusals that name the bad value.</summary>
public sealed class McpToolFilterTests
{
    private static readonly McpToolRegistry Registry = new();

    [Fact]
    public void NoHeader_AllowsEveryTool()
        => Registry.Tools.ShouldAllBe(t => Filter().Allows(t));

    [Fact]
    public void Toolsets_AllowThoseAndCore_AndTakeMicrosoftsWit()
    {
        var filter = Filter(("X-MCP-Toolsets", "wit"));
        Allowed(filter).ShouldContain("get_work_item");
        Allowed(filter).ShouldContain("list_organizations");
        Allowed(filter).ShouldNotContain("get_pull_request");
        Allowed(filter).ShouldNotContain("list_builds");
    }

    [Fact]
    public void ToolsAndToolsets_AreAUnion_AndReadonlyCutsBoth()
    {
        Allowed(Filter(("X-MCP-Toolsets", "pipelines"), ("X-MCP-Tools", "get_pull_request"))).ShouldContain("get_pull_request");
        var readOnly = Allowed(Filter(("X-MCP-Toolsets", "pipelines"), ("X-MCP-Tools", "create_pull_request"), ("X-MCP-Readonly", "TRUE")));
        readOnly.ShouldNotContain("create_pull_request");
        readOnly.ShouldNotContain("run_pipeline");
        readOnly.ShouldContain("list_builds");
    }

    [Fact]
    public void ReadonlyFalse_IsNoFilter()
        => Allowed(Filter(("X-MCP-Readonly", "false"))).Count.ShouldBe(Registry.Tools.Count);

    [Theory]
    [InlineData("X-MCP-Toolsets", "repos, nope", "nope")]
    [InlineData("X-MCP-Tools", "get_work_item,nope_tool", "nope_tool")]
    [InlineData("X-MCP-Readonly", "yes", "yes")]
    public void AnUnknownValue_IsAnErrorNamingIt(string header, string value, string named)
    {
        var (filter, error) = McpToolFilter.FromHeaders(Headers((header, value)), Registry);
        filter.ShouldBeNull();
        error.ShouldNotBeNull().ShouldContain(named);
    }

    [Fact]
    public void ARenamedTool_IsFoundByItsOldName()
    {
        var registry = new McpToolRegistry(McpToolCatalog.Create(), new Dictionary<string, string> { ["wit_get_work_item"] = "get_work_item" });
        registry.Find("wit_get_work_item").ShouldNotBeNull().Name.ShouldBe("get_work_item");
        var (filter, _) = McpToolFilter.FromHeaders(Headers(("X-MCP-Tools", "wit_get_work_item")), registry);
        filter.ShouldNotBeNull().Allows(registry.Find("get_work_item")!).ShouldBeTrue();
        registry.Find("no_such").ShouldBeNull();
    }

    [Fact]
    public void EveryTool_IsInAKnownToolset_AndNamesAreUnique()
    {
        Registry.Tools.ShouldAllBe(t => McpToolCatalog.Toolsets.Contains(t.Toolset));
        Registry.Tools.Select(t => t.Name).ShouldBeUnique();
    }

    private static McpToolFilter Filter(params (string Name, string Value)[] headers)
        => McpToolFilter.FromHeaders(Headers(headers), Registry).Filter.ShouldNotBeNull();

    private static List<string> Allowed(McpToolFilter filter) => Registry.Tools.Where(filter.Allows).Select(t => t.Name).ToList();

    private static HeaderDictionary Headers(params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary[name] = value;
        }

        return dictionary;
    }
}
