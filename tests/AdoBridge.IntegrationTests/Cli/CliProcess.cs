using System.Diagnostics;
using System.Text.Json;

namespace AdoBridge.IntegrationTests.Cli;

/// <summary>
/// The real, built `adobridge` (adobridge.dll through `dotnet`) as a child process, with its own configuration folder
/// (XDG_CONFIG_HOME) so its profiles are the test's alone. Stdout and stderr are pipes, as in a script.
/// </summary>
public sealed class CliProcess
{
    private readonly Dictionary<string, string?> environment;

    public CliProcess(Uri? url = null, string? apiKey = null)
    {
        ConfigHome = Infrastructure.AdoBridgeServer.NewDataDir();
        environment = new Dictionary<string, string?>
        {
            ["XDG_CONFIG_HOME"] = ConfigHome,
            ["ADOBRIDGE_URL"] = url?.AbsoluteUri,
            ["ADOBRIDGE_API_KEY"] = apiKey,
            ["ADOBRIDGE_PROFILE"] = null,
            ["NO_COLOR"] = "1",
        };
    }

    public string ConfigHome { get; }

    public string ProfileFile => Path.Combine(ConfigHome, "adobridge", "profiles.json");

    public CliProcess With(string name, string? value)
    {
        environment[name] = value;
        return this;
    }

    public Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    public async Task<CliResult> RunWithInputAsync(string? stdin, params string[] args)
    {
        using var process = Start(args, stdin is not null);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"adobridge {string.Join(' ', args)} did not exit within 90 s. Stderr so far: {(stderr.IsCompleted ? await stderr : "")}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts the CLI and leaves it running, for commands that wait (connect, serve).</summary>
    public Process Start(string[] args, bool redirectInput = false)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = redirectInput,
        };
        info.ArgumentList.Add(Webhooks.ChildServer.Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        return Process.Start(info)!;
    }
}

/// <summary>What a CLI run left: its exit code and what it wrote.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json()
    {
        try
        {
            using var document = JsonDocument.Parse(Stdout);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"stdout is not JSON ({e.Message}): {Stdout}\nstderr: {Stderr}", e);
        }
    }

    public CliResult ShouldExit(int code)
    {
        ExitCode.ShouldBe(code, $"stdout: {Stdout}\nstderr: {Stderr}");
        return this;
    }
}
