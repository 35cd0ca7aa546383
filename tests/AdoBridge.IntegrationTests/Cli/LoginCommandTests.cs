using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Cli;

/// <summary>`login` and profiles: the key from stdin only, checked first, kept in a file only its owner can read.</summary>
public sealed class LoginCommandTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private AdoBridgeServer Server => fixture.Server;

    [Fact]
    public async Task Login_FromStdin_SavesAnOwnerOnlyProfileThatLaterCommandsUse()
    {
        var cli = new CliProcess();
        (await cli.RunWithInputAsync(AdoBridgeServer.BootstrapKey + "\n", "login", "--url", Server.BaseUrl.AbsoluteUri)).ShouldExit(0);

        File.Exists(cli.ProfileFile).ShouldBeTrue();
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(cli.ProfileFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.GetUnixFileMode(Path.GetDirectoryName(cli.ProfileFile)!).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // No ADOBRIDGE_URL or key in the environment: the profile alone gets through.
        (await cli.RunAsync("connections", "list")).ShouldExit(0);

        var profiles = (await cli.RunAsync("profiles", "list", "-o", "json")).ShouldExit(0);
        var profile = profiles.Json().GetProperty("items")[0];
        profile.GetProperty("name").GetString().ShouldBe("default");
        profile.GetProperty("url").GetString().ShouldBe(Server.BaseUrl.AbsoluteUri.TrimEnd('/'));
        profile.GetProperty("default").GetBoolean().ShouldBeTrue();
        profiles.Stdout.ShouldNotContain(AdoBridgeServer.BootstrapKey);
    }

    [Fact]
    public async Task Login_BadKey_Exits3AndSavesNothing()
    {
        var cli = new CliProcess();
        var result = (await cli.RunWithInputAsync("adbk_notakey_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH", "login", "--url", Server.BaseUrl.AbsoluteUri)).ShouldExit(3);
        result.Stderr.ShouldContain("invalid_api_key");
        File.Exists(cli.ProfileFile).ShouldBeFalse();
    }

    [Theory]
    [InlineData("--api-key")]
    [InlineData("--key")]
    [InlineData("--token")]
    public async Task Login_KeyAsAnArgument_IsRefused(string option)
    {
        var cli = new CliProcess();
        var result = (await cli.RunWithInputAsync(string.Empty, "login", "--url", Server.BaseUrl.AbsoluteUri, option, AdoBridgeServer.BootstrapKey)).ShouldExit(2);
        result.Stderr.ShouldContain("key_as_argument");
        File.Exists(cli.ProfileFile).ShouldBeFalse();
    }

    [Fact]
    public async Task NoLoginCommandTakesAKeyArgument()
    {
        // The only key input is stdin, a prompt or ADOBRIDGE_API_KEY: no visible option anywhere in the tree names a key.
        var options = AllCommands(AdoBridge.Cli.CliApp.Build()).SelectMany(c => c.Options).Where(o => !o.Hidden).SelectMany(o => o.Aliases.Append(o.Name));
        options.ShouldNotContain(n => n.Contains("key", StringComparison.OrdinalIgnoreCase) || n.Contains("token", StringComparison.OrdinalIgnoreCase));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task EnvironmentVariables_OverrideTheProfile()
    {
        var cli = new CliProcess();
        (await cli.RunWithInputAsync(AdoBridgeServer.BootstrapKey, "login", "--url", Server.BaseUrl.AbsoluteUri)).ShouldExit(0);
        cli.With("ADOBRIDGE_API_KEY", "adbk_overridden_0123456789abcdefghijklmnopqrstuvwxyzABCDEF");
        (await cli.RunAsync("connections", "list")).ShouldExit(3);
        cli.With("ADOBRIDGE_API_KEY", null).With("ADOBRIDGE_URL", $"http://127.0.0.1:{CliTestServer.ClosedPort()}");
        (await cli.RunAsync("connections", "list")).ShouldExit(1).Stderr.ShouldContain("server_unreachable");
    }

    [Fact]
    public async Task Profiles_NamedProfile_UseAndUnknown()
    {
        var cli = new CliProcess();
        (await cli.RunWithInputAsync(AdoBridgeServer.BootstrapKey, "login", "--url", Server.BaseUrl.AbsoluteUri, "--profile", "sandbox")).ShouldExit(0);
        (await cli.RunAsync("--profile", "sandbox", "connections", "list")).ShouldExit(0);
        (await cli.RunAsync("connections", "list", "--profile", "nosuch")).ShouldExit(4).Stderr.ShouldContain("profile_not_found");
        (await cli.RunAsync("profiles", "use", "nosuch")).ShouldExit(4);
        (await cli.RunAsync("profiles", "use", "sandbox")).ShouldExit(0);
        (await cli.RunAsync("profiles", "delete", "sandbox")).ShouldExit(0);
        (await cli.RunAsync("profiles", "list", "-o", "json")).ShouldExit(0).Json().GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    private static IEnumerable<System.CommandLine.Command> AllCommands(System.CommandLine.Command command)
        => command.Subcommands.SelectMany(AllCommands).Prepend(command);
}
