using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Cli;

/// <summary>`connections`, `token` and the errors every client command shares: bad key, unknown connection, server down.</summary>
public sealed class ConnectionsCommandTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private AdoBridgeServer Server => fixture.Server;

    [Fact]
    public async Task ConnectionsList_Json_IsTheApisPage()
    {
        var id = await Server.PatConnectionAsync("cli-list-user");
        var result = (await Server.Cli().RunAsync("connections", "list", "--end-user", "cli-list-user", "-o", "json")).ShouldExit(0);
        var api = await Server.ApiAsync("/v1/connections?endUserId=cli-list-user");
        result.Json().ShouldMatchApi(api);
        result.Json().GetProperty("items")[0].GetProperty("id").GetString().ShouldBe(id);
    }

    [Fact]
    public async Task ConnectionsGet_DefaultsToJsonWhenPiped_AndYamlOnRequest()
    {
        var id = await Server.PatConnectionAsync("cli-get-user");
        var json = (await Server.Cli().RunAsync("connections", "get", id)).ShouldExit(0);
        json.Json().ShouldMatchApi(await Server.ApiAsync($"/v1/connections/{id}"));

        var yaml = (await Server.Cli().RunAsync("connections", "get", id, "-o", "yaml")).ShouldExit(0);
        yaml.Stdout.ShouldContain($"id: {id}\n");
        yaml.Stdout.ShouldContain("status: active\n");
        yaml.Stdout.ShouldContain("organizations:\n- fabrikam\n");
    }

    [Fact]
    public async Task ToAPipe_TablesAndMessages_CarryNoColour_EvenOnAColourTerminalType()
    {
        // Only the pipe says "no colour" here: NO_COLOR is unset and the terminal type claims full colour.
        var id = await Server.PatConnectionAsync("cli-colour-user");
        var cli = Server.Cli().With("NO_COLOR", null).With("TERM", "xterm-256color").With("COLORTERM", "truecolor");
        var table = (await cli.RunAsync("connections", "list", "--end-user", "cli-colour-user", "-o", "table")).ShouldExit(0);
        table.Stdout.ShouldContain(id);
        var deleted = (await cli.RunAsync("connections", "delete", id)).ShouldExit(0);
        deleted.Stderr.ShouldContain("deleted");
        var missing = (await cli.RunAsync("connections", "get", id)).ShouldExit(4);
        foreach (var text in new[] { table.Stdout, table.Stderr, deleted.Stdout, deleted.Stderr, missing.Stderr })
        {
            text.ShouldNotContain("\u001b");
        }
    }

    [Fact]
    public async Task ConnectionsGet_UnknownConnection_Exits4WithTheProblemCode()
    {
        var result = (await Server.Cli().RunAsync("connections", "get", "conn_doesnotexist")).ShouldExit(4);
        result.Stderr.ShouldContain("connection_not_found");
        result.Stderr.ShouldContain("fix:");
        result.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task BadKey_Exits3WithTheProblemCode()
    {
        var result = (await Server.Cli("adbk_wrongwrongwrong_0123456789abcdefghijklmnopqrstuvwxyz").RunAsync("connections", "list")).ShouldExit(3);
        result.Stderr.ShouldContain("invalid_api_key");
        result.Stderr.ShouldContain("adobridge login");
    }

    [Fact]
    public async Task NoKeyAtAll_Exits3AndSaysHowToLogIn()
    {
        var result = (await Server.Cli(apiKey: null).RunAsync("connections", "list")).ShouldExit(3);
        result.Stderr.ShouldContain("not_logged_in");
    }

    [Fact]
    public async Task ServerDown_Exits1WithAClearMessage()
    {
        var down = new Uri($"http://127.0.0.1:{CliTestServer.ClosedPort()}/");
        var result = (await new CliProcess(down, AdoBridgeServer.BootstrapKey).RunAsync("connections", "list")).ShouldExit(1);
        result.Stderr.ShouldContain("server_unreachable");
        result.Stderr.ShouldContain($"Cannot reach AdoBridge at {down.AbsoluteUri}");
        result.Stderr.ShouldContain("adobridge serve");
        result.Stderr.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task Refresh_ThenDelete_ThenGetIsNotFound()
    {
        var id = await Server.PatConnectionAsync("cli-delete-user");
        (await Server.Cli().RunAsync("connections", "refresh", id)).ShouldExit(0).Json().GetProperty("id").GetString().ShouldBe(id);
        (await Server.Cli().RunAsync("connections", "delete", id)).ShouldExit(0).Stderr.ShouldContain("deleted");
        (await Server.Cli().RunAsync("connections", "get", id)).ShouldExit(4);
    }

    [Fact]
    public async Task Token_PrintsOnlyTheTokenOnStdout()
    {
        var id = await Server.PatConnectionAsync("cli-token-user");
        var pat = (await Server.DetailsAsync()).GetProperty("pat").GetString();
        var result = (await Server.Cli().RunAsync("token", id)).ShouldExit(0);
        result.Stdout.ShouldBe(pat + Environment.NewLine);

        var json = (await Server.Cli().RunAsync("token", id, "-o", "json")).ShouldExit(0).Json();
        json.GetProperty("accessToken").GetString().ShouldBe(pat);
        json.GetProperty("connectionId").GetString().ShouldBe(id);
    }

    [Fact]
    public async Task Token_UnknownConnection_Exits4()
        => (await Server.Cli().RunAsync("token", "conn_doesnotexist")).ShouldExit(4).Stderr.ShouldContain("connection_not_found");
}
