using System.Net.Http.Headers;
using AdoBridge.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AdoBridge.IntegrationTests.Infrastructure;

/// <summary>
/// A real AdoBridge on a real loopback port with its own data folder: tests talk to it over HTTP, as a product would.
/// (Kestrel rather than an in-memory test server, because the sandbox calls its own emulator over HTTP.)
/// </summary>
public sealed class AdoBridgeServer : IAsyncDisposable
{
    public const string BootstrapKey = "adbk_testbootstrap_0123456789abcdefghijklmnopqrstuvwxyzABCD";

    private AdoBridgeServer(WebApplication app, Uri baseUrl, string dataDir)
    {
        App = app;
        BaseUrl = baseUrl;
        DataDir = dataDir;
    }

    public WebApplication App { get; }
    public Uri BaseUrl { get; }
    public string DataDir { get; }

    /// <summary>Starts a server. Settings are configuration keys (e.g. "AdoBridge:Sandbox" = "on"); <paramref name="configure"/> can replace services (a fake clock).</summary>
    public static async Task<AdoBridgeServer> StartAsync(IDictionary<string, string?>? settings = null, string? dataDir = null, Action<WebApplicationBuilder>? configure = null)
    {
        dataDir ??= NewDataDir();
        // Port 0: Kestrel binds a port the system picks, and reports it after start. Picking a free port first and
        // binding it later raced with every other server starting in the same run.
        var all = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["urls"] = "http://127.0.0.1:0",
            ["ADOBRIDGE_DATA_DIR"] = dataDir,
            ["ADOBRIDGE_BOOTSTRAP_API_KEY"] = BootstrapKey,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var args = all.Where(kv => kv.Value is not null).Select(kv => $"--{kv.Key}={kv.Value}").ToArray();
        var app = await AdoBridgeApp.StartAsync(args, configure);
        return new AdoBridgeServer(app, BoundAddress(app), dataDir);
    }

    public static string NewDataDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "adobridge-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public HttpClient Client(string? apiKey = BootstrapKey)
    {
        var client = new HttpClient { BaseAddress = BaseUrl };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    public T Service<T>() where T : notnull => (T)App.Services.GetService(typeof(T))!;

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    private static Uri BoundAddress(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.SingleOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no bound address.");
        return new Uri(address.TrimEnd('/') + "/");
    }
}
