using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using AdoBridge.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AdoBridge.BrowserTests.Infrastructure;

/// <summary>
/// A real sandbox-mode AdoBridge on a free loopback port with its own data folder, started in-process the way the
/// integration tests do it; the browser and the test talk to it over HTTP only (its internals are not visible here).
/// </summary>
public sealed class AdoBridgeServer : IAsyncDisposable
{
    public const string BootstrapKey = "adbk_browsertests_0123456789abcdefghijklmnopqrstuvwxyzABCD";

    /// <summary>The product name the connect pages show; not the default, so the tests see it comes from configuration.</summary>
    public const string ProductName = "Contoso Code Review";

    /// <summary>The console's sign-in with Microsoft goes to the sandbox's own emulator with this app (registered there by the test that uses it).</summary>
    public const string ConsoleOidcClientId = "c0501e00-0000-4000-8000-00000000c1d0";
    public const string ConsoleOidcSecret = "console-oidc-secret~browser-tests-0123456789";

    private readonly WebApplication app;
    private readonly string dataDir;

    private AdoBridgeServer(WebApplication app, Uri baseUrl, string dataDir)
    {
        this.app = app;
        this.dataDir = dataDir;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>The admin console's one-time setup link, as the start-up banner prints it (null once an owner exists).</summary>
    public string? ConsoleSetupLink => app.Services.GetRequiredService<StartupTasks>().Report.ConsoleSetupToken is { } token
        ? new Uri(BaseUrl, "/console/setup/" + token).ToString()
        : null;

    public static async Task<AdoBridgeServer> StartAsync()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "adobridge-browser-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var port = FreePort();
        var app = await AdoBridgeApp.StartAsync(
        [
            $"--urls=http://127.0.0.1:{port}",
            $"--ADOBRIDGE_DATA_DIR={dataDir}",
            $"--ADOBRIDGE_BOOTSTRAP_API_KEY={BootstrapKey}",
            "--Logging:LogLevel:Default=Warning",
            $"--AdoBridge:ProductName={ProductName}",
            $"--AdoBridge:Console:Oidc:Authority=http://127.0.0.1:{port}/_emulator/login.microsoftonline.com/{Emulator.EmulatorDefaults.TenantId}/v2.0",
            $"--AdoBridge:Console:Oidc:ClientId={ConsoleOidcClientId}",
            $"--AdoBridge:Console:Oidc:ClientSecret={ConsoleOidcSecret}",
        ]);
        return new AdoBridgeServer(app, new Uri($"http://127.0.0.1:{port}/"), dataDir);
    }

    /// <summary>An HTTP client for the product API, authenticated with the bootstrap admin key.</summary>
    public HttpClient Api()
    {
        var client = new HttpClient { BaseAddress = BaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BootstrapKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temp folder behind.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
