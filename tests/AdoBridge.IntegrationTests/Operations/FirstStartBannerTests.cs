using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using AdoBridge.IntegrationTests.Webhooks;

namespace AdoBridge.IntegrationTests.Operations;

/// <summary>
/// What a first start prints is what the README shows under "What you see on first start" (its `…` stand for what differs
/// each time), and an operator who lost the printed key gets back in by starting once with ADOBRIDGE_BOOTSTRAP_API_KEY.
/// </summary>
public sealed partial class FirstStartBannerTests : IDisposable
{
    // Named "data" like the default folder, which the README shows.
    private readonly string root = Infrastructure.AdoBridgeServer.NewDataDir();
    private string DataDir => Path.Combine(root, "data");
    // Each start binds port 0; the banner's "Start page:" line says which port it got.
    private int port;

    [Fact]
    public async Task FirstStart_PrintsTheBannerTheReadmeShows_AndALostKeyIsReplacedByStartingWithABootstrapKey()
    {
        var banner = await StartAndReadBannerAsync(bootstrapKey: null);
        var shown = ReadmeBanner();

        var actual = banner.Select(l => l.Replace($"http://127.0.0.1:{port}", "http://127.0.0.1:5080", StringComparison.Ordinal)).ToList();
        actual.Count.ShouldBe(shown.Count, $"The README's banner has {shown.Count} lines, a first start printed {actual.Count}:\n{string.Join('\n', actual)}");
        for (var i = 0; i < shown.Count; i++)
        {
            var pattern = "^" + string.Join(".*", shown[i].Split('…').Select(Regex.Escape)) + "$";
            actual[i].ShouldMatch(pattern, $"README line {i + 1} does not match what was printed:\n  README:  {shown[i]}\n  printed: {actual[i]}");
        }

        var printedKey = Regex.Match(string.Join('\n', banner), @"store it now\): (adbk_\S+)").Groups[1].Value;
        (await AdminStatusAsync(printedKey)).ShouldBe(HttpStatusCode.OK);

        // The printed key is lost: start once with a key of one's choosing, as the README says.
        var chosen = "adbk_recovered_" + Guid.NewGuid().ToString("N");
        var again = await StartAndReadBannerAsync(chosen);
        again.ShouldContain(l => l.Contains("registered (owner", StringComparison.Ordinal));
        (await AdminStatusAsync(chosen)).ShouldBe(HttpStatusCode.OK);
    }

    private Process? process;

    private async Task<List<string>> StartAndReadBannerAsync(string? bootstrapKey)
    {
        Stop();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(ChildServer.Dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add("http://127.0.0.1:0");
        info.Environment["ADOBRIDGE_DATA_DIR"] = DataDir;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment.Remove("ADOBRIDGE_BOOTSTRAP_API_KEY");
        if (bootstrapKey is not null)
        {
            info.Environment["ADOBRIDGE_BOOTSTRAP_API_KEY"] = bootstrapKey;
        }

        process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith('{'))
            {
                continue; // a JSON log line, not the banner
            }

            if (lines.Count > 0 || line.StartsWith("AdoBridge is running", StringComparison.Ordinal))
            {
                lines.Add(line);
            }

            if (StartPage().Match(line) is { Success: true } match)
            {
                port = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }

            if (line.StartsWith("  Try it:", StringComparison.Ordinal) || line.StartsWith("  API keys:", StringComparison.Ordinal))
            {
                return lines;
            }
        }

        throw new InvalidOperationException($"AdoBridge exited before its banner was complete:\n{string.Join('\n', lines)}");
    }

    private static List<string> ReadmeBanner()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"));
        var heading = Array.FindIndex(readme, l => l == "## What you see on first start");
        heading.ShouldBeGreaterThan(0, "The README has no section 'What you see on first start'.");
        var open = Array.FindIndex(readme, heading, l => l.StartsWith("```", StringComparison.Ordinal));
        var close = Array.FindIndex(readme, open + 1, l => l.StartsWith("```", StringComparison.Ordinal));
        return readme[(open + 1)..close].SkipWhile(string.IsNullOrWhiteSpace).ToList();
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AdoBridge.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("The repository root (AdoBridge.slnx) was not found above the test binaries.");
    }

    private async Task<HttpStatusCode> AdminStatusAsync(string key)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        for (var i = 0; i < 100; i++)
        {
            try
            {
                return (await client.GetAsync("/v1/admin/api-keys")).StatusCode;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100); // still starting to listen
            }
        }

        throw new TimeoutException("AdoBridge did not answer.");
    }

    private void Stop()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        process?.Dispose();
        process = null;
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex(@"^  Start page: +http://127\.0\.0\.1:(\d+)/")]
    private static partial Regex StartPage();
}
