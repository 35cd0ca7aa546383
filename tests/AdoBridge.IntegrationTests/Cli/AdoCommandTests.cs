using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Cli;

/// <summary>`adobridge ado`: any Azure DevOps REST call through the proxy, as the connection.</summary>
public sealed class AdoCommandTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private AdoBridgeServer Server => fixture.Server;

    [Fact]
    public async Task Get_UsesTheConnectionsOnlyOrganisation()
    {
        var id = await Server.PatConnectionAsync("cli-ado-user");
        var result = (await Server.Cli().RunAsync("ado", id, "GET", "_apis/projects")).ShouldExit(0);
        result.Json().GetProperty("value").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ShouldContain("Fabrikam-Fiber-Git");
    }

    [Fact]
    public async Task Post_SendsTheBody()
    {
        var id = await Server.PatConnectionAsync("cli-ado-wiql-user");
        var result = (await Server.Cli().RunAsync("ado", id, "POST", "Fabrikam-Fiber-Git/_apis/wit/wiql", "--org", "fabrikam",
            "--data", """{"query": "SELECT [System.Id] FROM WorkItems"}""")).ShouldExit(0);
        result.Json().TryGetProperty("workItems", out _).ShouldBeTrue(result.Stdout);
    }

    [Fact]
    public async Task UnknownConnection_Exits4WithAdoBridgesCode()
    {
        var result = (await Server.Cli().RunAsync("ado", "conn_doesnotexist", "GET", "_apis/projects", "--org", "fabrikam")).ShouldExit(4);
        result.Stderr.ShouldContain("connection_not_found");
    }

    [Fact]
    public async Task DataAndFileTogether_IsAUsageError()
        => (await Server.Cli().RunAsync("ado", "conn_x", "POST", "_apis/x", "--data", "{}", "--file", "body.json")).ShouldExit(2);
}
