namespace AdoBridge.IntegrationTests.Mcp;

/// <summary>One endpoint, several connections and organisations: chosen per call by argument, or per client by header.</summary>
public sealed class McpConnectionsTests(McpFixture fixture) : IClassFixture<McpFixture>
{
    [Theory]
    [InlineData(McpFixture.Latest)]
    [InlineData(McpFixture.Initialize)]
    public async Task OneClient_ActsAsSeveralConnectionsInSeveralOrganisations(string revision)
    {
        await using var client = await fixture.ClientAsync(revision);

        var aliceOrgs = (await client.CallToolAsync("list_organizations", new Dictionary<string, object?> { ["connection"] = fixture.Alice })).Ok();
        aliceOrgs.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("name").GetString()).ShouldBe(["fabrikam", "fabrikam-labs"], ignoreOrder: true);

        var fabrikam = (await client.CallToolAsync("list_projects", fixture.Args(organization: "fabrikam"))).Ok();
        var labs = (await client.CallToolAsync("list_projects", fixture.Args(organization: "fabrikam-labs"))).Ok();
        Names(fabrikam).ShouldNotBe(Names(labs));

        var bobIdentity = (await client.CallToolAsync("search_identities", fixture.Args(new { search = "bob" }, connection: fixture.Bob))).Ok();
        bobIdentity.GetProperty("items").GetArrayLength().ShouldBeGreaterThan(0);
        var bobOrgs = (await client.CallToolAsync("list_organizations", new Dictionary<string, object?> { ["connection"] = fixture.Bob })).Ok();
        bobOrgs.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("name").GetString()).ShouldBe(["fabrikam"]);
    }

    [Theory]
    [InlineData(McpFixture.Latest)]
    [InlineData(McpFixture.Initialize)]
    public async Task TheConnectionHeader_IsTheDefault_AndTheArgumentOverridesIt(string revision)
    {
        await using var client = await fixture.ClientAsync(revision, new Dictionary<string, string> { ["X-AdoBridge-Connection"] = fixture.Bob });
        var asHeader = (await client.CallToolAsync("list_organizations", new Dictionary<string, object?>())).Ok();
        asHeader.GetProperty("items").GetArrayLength().ShouldBe(1);

        var asArgument = (await client.CallToolAsync("list_organizations", new Dictionary<string, object?> { ["connection"] = fixture.Alice })).Ok();
        asArgument.GetProperty("items").GetArrayLength().ShouldBe(2);
    }

    private static string Names(System.Text.Json.JsonElement page)
        => string.Join(",", page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
}
