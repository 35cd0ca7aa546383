using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Cli;

/// <summary>The operator's commands: doctor, apps, keys, environments (the bootstrap key is an owner).</summary>
public sealed class AdminCommandTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private AdoBridgeServer Server => fixture.Server;

    [Fact]
    public async Task Doctor_HealthySandbox_Exits0WithEveryCheck()
    {
        var result = (await Server.Cli().RunAsync("doctor")).ShouldExit(0).Json();
        result.GetProperty("ok").GetBoolean().ShouldBeTrue();
        result.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ShouldBe(["server", "api_key"]);
        result.GetProperty("apps").EnumerateArray().Select(a => a.GetProperty("app").GetString()).ShouldContain("sandbox");
    }

    [Fact]
    public async Task Doctor_Finding_ExitsNonZeroWithTheFix()
    {
        var down = new CliProcess(new Uri($"http://127.0.0.1:{CliTestServer.ClosedPort()}/"), AdoBridgeServer.BootstrapKey);
        var result = (await down.RunAsync("doctor")).ShouldExit(1).Json();
        result.GetProperty("ok").GetBoolean().ShouldBeFalse();
        var server = result.GetProperty("checks")[0];
        server.GetProperty("status").GetString().ShouldBe("fail");
        server.GetProperty("fix").GetString()!.ShouldContain("adobridge serve");
    }

    [Fact]
    public async Task Doctor_UnknownApp_Exits4()
        => (await Server.Cli().RunAsync("doctor", "no-such-app")).ShouldExit(4).Stderr.ShouldContain("app_not_found");

    [Fact]
    public async Task Apps_ListAndGet_AreTheApis()
    {
        (await Server.Cli().RunAsync("apps", "list")).ShouldExit(0).Json().ShouldMatchApi(await Server.ApiAsync("/v1/admin/apps"));
        (await Server.Cli().RunAsync("apps", "get", "sandbox", "-o", "json")).ShouldExit(0).Json().ShouldMatchApi(await Server.ApiAsync("/v1/admin/apps/sandbox"));
    }

    [Fact]
    public async Task AppsSet_FromFile_CreatesTheApp_AndAMisspeltFieldIsRefusedByName()
    {
        var file = Path.Combine(AdoBridgeServer.NewDataDir(), "app.json");
        await File.WriteAllTextAsync(file, """{ "type": "pat", "displayName": "CLI PATs" }""");
        var app = (await Server.Cli().RunAsync("apps", "set", "cli-pat", "--file", file)).ShouldExit(0).Json();
        app.GetProperty("name").GetString().ShouldBe("cli-pat");
        app.GetProperty("displayName").GetString().ShouldBe("CLI PATs");

        await File.WriteAllTextAsync(file, """{ "type": "pat", "dispalyName": "typo" }""");
        var refused = (await Server.Cli().RunAsync("apps", "set", "cli-pat", "--file", file)).ShouldExit(2);
        refused.Stderr.ShouldContain("dispalyName");

        await File.WriteAllTextAsync(file, """{ "type": "entra", "clientId": "not-a-guid" }""");
        var invalid = (await Server.Cli().RunAsync("apps", "set", "cli-bad", "--file", file)).ShouldExit(1);
        invalid.Stderr.ShouldContain("invalid_app_config");
        invalid.Stderr.ShouldContain("clientId");
    }

    [Fact]
    public async Task Keys_CreateListRevoke_AndTheRevokedKeyIsRefused()
    {
        var created = (await Server.Cli().RunAsync("keys", "create", "--name", "cli test key")).ShouldExit(0).Json();
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("id").GetString()!;
        (await Server.Cli(key).RunAsync("connections", "list")).ShouldExit(0);

        var list = (await Server.Cli().RunAsync("keys", "list")).ShouldExit(0);
        list.Json().ShouldMatchApi(await Server.ApiAsync("/v1/admin/api-keys"));
        list.Stdout.ShouldNotContain(key);

        (await Server.Cli().RunAsync("keys", "revoke", id)).ShouldExit(0);
        (await Server.Cli(key).RunAsync("connections", "list")).ShouldExit(3);
        (await Server.Cli().RunAsync("keys", "revoke", "key_doesnotexist")).ShouldExit(4);
    }

    [Fact]
    public async Task ProductKey_OnAdminCommands_Exits3()
    {
        var created = (await Server.Cli().RunAsync("keys", "create", "--name", "cli product key", "--role", "product")).ShouldExit(0).Json();
        var result = (await Server.Cli(created.GetProperty("key").GetString()).RunAsync("apps", "list")).ShouldExit(3);
        result.Stderr.ShouldContain("forbidden");
    }

    [Fact]
    public async Task Environments_ListAndCreate_AndADuplicateIsAConflict()
    {
        (await Server.Cli().RunAsync("environments")).ShouldExit(0).Json().ShouldMatchApi(await Server.ApiAsync("/v1/admin/environments"));
        (await Server.Cli().RunAsync("environments", "create", "cli-staging", "--name", "CLI staging")).ShouldExit(0).Json().GetProperty("id").GetString().ShouldBe("cli-staging");
        (await Server.Cli().RunAsync("environments", "create", "cli-staging")).ShouldExit(5).Stderr.ShouldContain("environment_exists");
    }
}
