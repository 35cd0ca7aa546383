using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.Hosting;

namespace AdoBridge.Bench;

/// <summary>
/// What the proxy and ingest benchmarks stand on: the emulator and AdoBridge, each in its own process (AdoBridge in
/// sandbox mode against that emulator), an API client, and a PAT connection to fabrikam.
/// </summary>
internal sealed class BenchStack : IDisposable
{
    public const string AdminToken = "bench-emulator-admin-token";
    public const string ApiKey = "adbk_benchmarkkey_0123456789abcdefghijklmnopqrstuvwxyzABCDE";

    private readonly Dictionary<string, string> environment;
    private readonly int serverPort;

    private BenchStack(ChildProcess emulator, Dictionary<string, string> environment, string emulatorUrl, int serverPort, HttpClient admin, HttpClient api)
    {
        this.environment = environment;
        this.serverPort = serverPort;
        Emulator = emulator;
        AdoBridge = StartServer();
        EmulatorUrl = emulatorUrl;
        ServerUrl = $"http://127.0.0.1:{serverPort}";
        Admin = admin;
        Api = api;
    }

    public ChildProcess Emulator { get; }
    public ChildProcess AdoBridge { get; private set; }
    public string EmulatorUrl { get; }
    public string ServerUrl { get; }
    public HttpClient Admin { get; }
    public HttpClient Api { get; }
    public string ConnectionId { get; private set; } = string.Empty;
    public string Pat { get; private set; } = string.Empty;

    /// <summary>The console's one-time setup link as the last start's banner printed it (path and token), while no owner exists.</summary>
    public string? ConsoleSetupPath { get; private set; }

    /// <summary>AdoBridge's data folder for this run (a temp folder, deleted on dispose).</summary>
    public string DataDirectory { get; private init; } = string.Empty;

    /// <summary>Starts both processes and connects with the sandbox PAT. <paramref name="settings"/> are extra environment variables for AdoBridge.</summary>
    public static async Task<BenchStack> StartAsync(string name, IDictionary<string, string>? settings = null)
    {
        var self = typeof(BenchStack).Assembly.Location;
        int emulatorPort = Probes.FreePort(), serverPort = Probes.FreePort();
        var emulatorUrl = $"http://127.0.0.1:{emulatorPort}/";
        var dataDir = Directory.CreateTempSubdirectory($"adobridge-{name}-").FullName;
        var emulator = ChildProcess.Start(self, ["emulator", "--port", emulatorPort.ToString(CultureInfo.InvariantCulture), "--admin-token", AdminToken], new Dictionary<string, string>());
        var admin = new HttpClient { BaseAddress = new Uri(emulatorUrl + "_admin/") };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        await Probes.WaitAsync(() => admin.GetAsync("state"));

        var environment = new Dictionary<string, string>
        {
            ["ADOBRIDGE_DATA_DIR"] = dataDir,
            ["ADOBRIDGE_BOOTSTRAP_API_KEY"] = ApiKey,
            ["AdoBridge__Sandbox"] = "on",
            ["AdoBridge__EmulatorUrl"] = emulatorUrl,
            ["AdoBridge__EmulatorAdminToken"] = AdminToken,
            // Per-call log lines are Information; the load runs with Warning so that console I/O is not what is measured.
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{serverPort}/") };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        var stack = new BenchStack(emulator, environment, emulatorUrl, serverPort, admin, api) { DataDirectory = dataDir };
        try
        {
            await Probes.WaitAsync(() => api.GetAsync("readyz"));
        }
        catch
        {
            stack.Dispose();
            throw;
        }

        stack.Pat = (await api.GetFromJsonAsync<JsonElement>("v1/sandbox")).GetProperty("pat").GetString()!;
        var connection = await (await api.PostAsJsonAsync("v1/connections", new { type = "pat", endUserId = "bench", organization = "fabrikam", pat = stack.Pat })).Content.ReadFromJsonAsync<JsonElement>();
        stack.ConnectionId = connection.GetProperty("id").GetString()!;
        return stack;
    }

    /// <summary>Stops AdoBridge (to work on its database while nothing else writes), or starts it again on the same data and port.</summary>
    public void Stop() => AdoBridge.Dispose();

    public async Task RestartAsync()
    {
        AdoBridge.Dispose();
        ConsoleSetupPath = null;
        AdoBridge = StartServer();
        await Probes.WaitAsync(() => Api.GetAsync("readyz"));
    }

    private ChildProcess StartServer()
    {
        var server = Path.Combine(AppContext.BaseDirectory, "adobridge.dll");
        // ADOBRIDGE_BENCH_SERVER_LOG=FILE keeps AdoBridge's own output (its log lines) for a look after the run.
        var keep = System.Environment.GetEnvironmentVariable("ADOBRIDGE_BENCH_SERVER_LOG");
        var kept = keep is null ? null : TextWriter.Synchronized(new StreamWriter(keep, append: true) { AutoFlush = true });
        return ChildProcess.Start(server, ["--urls", $"http://127.0.0.1:{serverPort}"], environment, stdout: line =>
        {
            kept?.WriteLine(line);
            // The banner's line "  Admin console:   http://…/console/setup/TOKEN   (one-time link …)".
            var at = line.IndexOf("/console/setup/", StringComparison.Ordinal);
            if (at >= 0)
            {
                ConsoleSetupPath = line[at..].Split(' ', 2)[0];
            }
        });
    }

    public void Dispose()
    {
        Api.Dispose();
        Admin.Dispose();
        AdoBridge.Dispose();
        Emulator.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder: harmless.
        }
    }
}
