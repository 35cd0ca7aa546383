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
        // bash sources the generated script and runs its completion function with the variables bash sets when Tab is
        // pressed at the end of the line.
        var words = line.Split(' ');
        var script = $$"""
            source <(adobridge completion bash) || exit 10
            complete -p adobridge || exit 11
            COMP_LINE='{{line}}'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=({{string.Join(' ', words)}}); COMP_CWORD={{words.Length - 1}}
            _adobridge_complete || exit 12
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        var lines = await RunShellAsync("bash", ["--norc", "--noprofile", "-c", script]);
        lines[0].ShouldBe("complete -o default -F _adobridge_complete adobridge");
        lines.Skip(1).ShouldBe(expected, ignoreOrder: true);
    }

    [Theory]
    [InlineData("adobridge conn", "connect", "connections")]
    [InlineData("adobridge connections re", "refresh")]
    [InlineData("adobridge connections list --end", "--end-user")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Completion_Zsh_LoadsInARealShell_AndCompletes(string line, params string[] expected)
    {
        // zsh (Debian's) loads its completion system, sources the generated script, and must have registered the function
        // for adobridge; then the function runs with the buffer and cursor zsh sets when Tab is pressed at the end of the
        // line, and what it hands to compadd is printed (compadd itself only works inside a completion widget).
        var script = $$"""
            autoload -Uz compinit && compinit -u -D || exit 9
            source <(adobridge completion zsh) || exit 10
            [[ "${_comps[adobridge]}" == _adobridge_complete ]] || exit 11
            compadd() { [[ "$1" == -- ]] && shift; print -rl -- "$@" }
            BUFFER='{{line}}'; CURSOR=${#BUFFER}
            _adobridge_complete || exit 12
            """;
        var lines = await RunShellAsync("zsh", ["-f", "-c", script]);
        lines.ShouldBe(expected, ignoreOrder: true);
    }

    [Theory]
    [InlineData("adobridge conn", "connect", "connections")]
    [InlineData("adobridge connections re", "refresh")]
    [InlineData("adobridge connections list --end", "--end-user")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Completion_PowerShell_LoadsInARealShell_AndCompletes(string line, params string[] expected)
    {
        // PowerShell 7 (the repository's local .NET tool, restored by test.sh) runs the generated script as the help says,
        // then asks its own completion engine (TabExpansion2, what Tab calls) for the line with the cursor at its end.
        var script = $$"""
            $ErrorActionPreference = 'Stop'
            adobridge completion powershell | Out-String | Invoke-Expression
            $line = '{{line}}'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object { $_.CompletionText }
            """;
        var lines = await RunShellAsync("dotnet", ["pwsh", "-NoProfile", "-NonInteractive", "-Command", script]);
        lines.ShouldBe(expected, ignoreOrder: true);
    }

    /// <summary>Runs a shell with `adobridge` on the PATH, as installed; returns its output's lines after checking it exited 0 with nothing on stderr.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static async Task<string[]> RunShellAsync(string shell, string[] args)
    {
        var bin = Infrastructure.AdoBridgeServer.NewDataDir();
        var launcher = Path.Combine(bin, "adobridge");
        await File.WriteAllTextAsync(launcher, $"#!/bin/sh\nexec dotnet '{Webhooks.ChildServer.Dll}' \"$@\"\n");
        File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var info = new ProcessStartInfo(shell) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        (await stderr).ShouldBeEmpty();
        process.ExitCode.ShouldBe(0, await stdout);
        return (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
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
