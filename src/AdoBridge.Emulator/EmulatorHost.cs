using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AdoBridge.Emulator;

/// <summary>The emulator on its own Kestrel listener on 127.0.0.1, for tests and benchmarks.</summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmulatorHost(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        State = app.Services.GetRequiredService<EmulatorState>();
    }

    /// <summary>Base URL ending with "/", e.g. http://127.0.0.1:54321/.</summary>
    public Uri BaseUrl { get; }

    public EmulatorState State { get; }

    /// <summary>Starts the emulator on <paramref name="port"/> (0 picks a free port).</summary>
    public static async Task<EmulatorHost> StartAsync(int port = 0, Action<EmulatorOptions>? configure = null, CancellationToken ct = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(EmulatorHost).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        builder.Services.AddAzureDevOpsEmulator(configure);
        var app = builder.Build();
        app.MapAzureDevOpsEmulator();
        await app.StartAsync(ct);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EmulatorHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
