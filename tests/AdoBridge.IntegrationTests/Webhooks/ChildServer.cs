using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace AdoBridge.IntegrationTests.Webhooks;

/// <summary>
/// AdoBridge as a separate process (the built adobridge.dll), so a test can kill it with SIGKILL mid-work and start it
/// again on the same port and data, as an operator's crash and restart would.
/// </summary>
public sealed partial class ChildServer : IDisposable
{
    public const string ApiKey = "adbk_childserver_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";

    private readonly Dictionary<string, string> environment;
    private Process? process;

    public ChildServer(IDictionary<string, string> settings)
    {
        DataDir = Infrastructure.AdoBridgeServer.NewDataDir();
        environment = new Dictionary<string, string>(settings)
        {
            ["ADOBRIDGE_DATA_DIR"] = DataDir,
            ["ADOBRIDGE_BOOTSTRAP_API_KEY"] = ApiKey,
            ["Logging__LogLevel__Default"] = "Warning",
        };
    }

    /// <summary>0 until the first start, which binds port 0 and reads the port it got from the banner; restarts reuse it.</summary>
    public int Port { get; private set; }
    public string DataDir { get; }
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    /// <summary>The adobridge.dll built beside this test assembly's configuration.</summary>
    internal static string Dll
    {
        get
        {
            var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = bin.Parent!.Name;
            var root = bin.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(root, "src", "AdoBridge", "bin", configuration, bin.Name, "adobridge.dll");
        }
    }

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{Port}");
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) =>
        {
            // The banner's "Start page:" line carries the address Kestrel actually bound.
            if (e.Data is { } line && StartPage().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var started = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (started != listening.Task)
        {
            throw started == exited
                ? new InvalidOperationException($"AdoBridge exited with {process.ExitCode} while starting.")
                : new TimeoutException("AdoBridge printed no banner in 60 s.");
        }

        Port = await listening.Task;
        using var probe = new HttpClient();
        for (var i = 0; i < 600; i++)
        {
            try
            {
                if ((await probe.GetAsync(new Uri(BaseUrl, "/readyz"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"AdoBridge exited with {process.ExitCode} while starting.");
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("AdoBridge did not become ready in 60 s.");
    }

    /// <summary>The running process's id.</summary>
    public int ProcessId => process?.Id ?? throw new InvalidOperationException("Not started.");

    /// <summary>
    /// SIGKILL: no shutdown hooks, no flushing; whatever was not committed is gone. Returns once the process has exited and
    /// its port accepts no connection, so nothing that follows can talk to it; returns its id.
    /// </summary>
    public int Kill()
    {
        var killed = process ?? throw new InvalidOperationException("Not started.");
        var id = killed.Id;
        killed.Kill();
        if (!killed.WaitForExit(30_000))
        {
            throw new TimeoutException($"AdoBridge (process {id}) did not exit within 30 s of SIGKILL.");
        }

        for (var deadline = DateTime.UtcNow.AddSeconds(10); ; Thread.Sleep(50))
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(System.Net.IPAddress.Loopback, Port);
            }
            catch (SocketException)
            {
                return id;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Port {Port} still accepts connections after AdoBridge (process {id}) exited.");
            }
        }
    }

    /// <summary>Whether no process with this id is running any more.</summary>
    public static bool IsGone(int processId)
    {
        try
        {
            using var p = Process.GetProcessById(processId);
            return p.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = BaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    public void Dispose()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        process?.Dispose();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^  Start page: +http://127\.0\.0\.1:(\d+)/")]
    private static partial System.Text.RegularExpressions.Regex StartPage();
}
