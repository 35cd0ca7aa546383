using System.CommandLine;
using System.Diagnostics;
using System.Text.RegularExpressions;
using AdoBridge.Cli;

namespace AdoBridge.IntegrationTests.Cli;

/// <summary>The executable itself: help with examples everywhere, usage errors, completion, serve and migrate.</summary>
public sealed partial class CliAppTests
{
    [Fact]
    public async Task Help_ListsTheCommandsAndExitCodes_WithoutStartingTheServer()
    {
        var result = (await new CliProcess().RunAsync("--help")).ShouldExit(0);
        foreach (var command in new[] { "serve", "migrate", "login", "profiles", "doctor", "apps", "keys", "environments", "connections", "connect", "token", "ado", "events", "deliveries", "endpoints", "listen", "trigger", "completion" })
        {
            result.Stdout.ShouldContain("  " + command);
        }

        result.Stdout.ShouldContain("Exit codes: 0 ok, 1 error, 2 usage, 3 auth, 4 not found, 5 conflict.");
        result.Stdout.ShouldContain("Examples:");
        result.Stdout.ShouldNotContain("AdoBridge is running");
    }

    [Fact]
    public void EveryCommand_HasAnExampleInItsHelp()
    {
        var missing = new List<string>();
        foreach (var (path, command) in Walk(CliApp.Build(), "adobridge"))
        {
            using var output = new StringWriter();
            var args = path.Split(' ').Skip(1).Append("--help").ToArray();
            CliApp.Build().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = output });
            var help = output.ToString();
            if (!help.Contains("Examples:\n  adobridge", StringComparison.Ordinal) && !help.Contains("Examples:\r\n  adobridge", StringComparison.Ordinal))
            {
                missing.Add(path);
            }
        }

        missing.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("connections", "get")]
    [InlineData("connections", "list", "--no-such-option")]
    [InlineData("events", "list", "--since", "not-a-time")]
    [InlineData("ado", "conn_x", "FETCH", "_apis/projects")]
    public async Task UsageErrors_Exit2WithWhereHelpIs(params string[] args)
    {
        var result = (await new CliProcess().RunAsync(args)).ShouldExit(2);
        result.Stderr.ShouldContain("error: usage:");
        result.Stderr.ShouldContain("--help");
    }

    [Theory]
    [InlineData("bash", "complete -o default -F _adobridge_complete adobridge")]
    [InlineData("zsh", "compdef _adobridge_complete adobridge")]
    [InlineData("powershell", "Register-ArgumentCompleter -Native -CommandName adobridge")]
    public async Task Completion_PrintsAScriptForEachShell(string shell, string expected)
        => (await new CliProcess().RunAsync("completion", shell)).ShouldExit(0).Stdout.ShouldContain(expected);

    [Fact]
    public async Task Completion_SuggestsCommandsAndSubcommands()
    {
        (await new CliProcess().RunAsync("[suggest:12]", "adobridge co")).ShouldExit(0).Stdout.Split('\n').ShouldContain("connections");
        var sub = (await new CliProcess().RunAsync("[suggest:22]", "adobridge connections ")).ShouldExit(0).Stdout.Split('\n');
        sub.ShouldContain("list");
        sub.ShouldContain("refresh");
    }

    [Theory]
    [InlineData("adobridge conn", "connect", "connections")]
    [InlineData("adobridge connections re", "refresh")]
    [InlineData("adobridge connections list --end", "--end-user")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Completion_Bash_LoadsInARealShell_AndCompletes(string line, params string[] expected)
    {
        // `adobridge` on the PATH, as installed; bash sources the generated script and runs its completion function with
        // the variables bash sets when Tab is pressed at the end of the line.
        var bin = Infrastructure.AdoBridgeServer.NewDataDir();
        var launcher = Path.Combine(bin, "adobridge");
        await File.WriteAllTextAsync(launcher, $"#!/bin/sh\nexec dotnet '{Webhooks.ChildServer.Dll}' \"$@\"\n");
        File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var words = line.Split(' ');
        var script = $$"""
            source <(adobridge completion bash) || exit 10
            complete -p adobridge || exit 11
            COMP_LINE='{{line}}'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=({{string.Join(' ', words)}}); COMP_CWORD={{words.Length - 1}}
            _adobridge_complete || exit 12
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        var info = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--norc", "--noprofile", "-c", script })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        using var bash = Process.Start(info)!;
        var stdout = bash.StandardOutput.ReadToEndAsync();
        var stderr = bash.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await bash.WaitForExitAsync(timeout.Token);
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        (await stderr).ShouldBeEmpty();
        bash.ExitCode.ShouldBe(0);
        lines[0].ShouldBe("complete -o default -F _adobridge_complete adobridge");
        lines.Skip(1).ShouldBe(expected, ignoreOrder: true);
    }

    [Fact]
    public async Task Migrate_AppliesWithAReportThenStatusIsCurrent()
    {
        var data = Infrastructure.AdoBridgeServer.NewDataDir();
        var cli = new CliProcess().With("ADOBRIDGE_DATA_DIR", data).With("Logging__LogLevel__Default", "Warning");
        (await cli.RunAsync("migrate", "--status")).ShouldExit(1).Stdout.ShouldContain("pending: 0001_");
        var applied = (await cli.RunAsync("migrate")).ShouldExit(0);
        applied.Stderr.ShouldContain("Applied migrations 0001_");
        applied.Stdout.ShouldMatch(@"Schema version (\d+) of \1\.");
        (await cli.RunAsync("migrate", "--status")).ShouldExit(0);
    }

    [Fact]
    public async Task Serve_RunsTheServer()
    {
        var data = Infrastructure.AdoBridgeServer.NewDataDir();
        using var process = new CliProcess().With("ADOBRIDGE_DATA_DIR", data).With("Logging__LogLevel__Default", "Warning")
            .Start(["serve", "--urls", "http://127.0.0.1:0"]);
        try
        {
            int? port = null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            while (port is null && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                port = StartPage().Match(line) is { Success: true } match ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
            }

            port.ShouldNotBeNull("serve printed no banner");
            using var http = new HttpClient();
            (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"))).IsSuccessStatusCode.ShouldBeTrue();
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static IEnumerable<(string Path, Command Command)> Walk(Command command, string path)
    {
        yield return (path, command);
        foreach (var sub in command.Subcommands)
        {
            foreach (var each in Walk(sub, path + " " + sub.Name))
            {
                yield return each;
            }
        }
    }

    [GeneratedRegex(@"^  Start page: +http://127\.0\.0\.1:(\d+)/")]
    private static partial Regex StartPage();
}
