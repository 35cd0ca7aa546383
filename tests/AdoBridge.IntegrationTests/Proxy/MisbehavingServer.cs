using System.Net;
using AdoBridge.Emulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AdoBridge.IntegrationTests.Proxy;

/// <summary>
/// The emulator as an Azure DevOps Server on its own port (collection URL {base}/tfs/DefaultCollection, as in
/// Actions/ServerCollection), plus routes under the collection that misbehave the way a real server or network can:
/// a body broken off mid-stream, an answer that never comes, a refusal sent without reading the body, and an echo
/// that reports what arrived. A Server connection reaches them through the proxy at `~server/_misbehave/…`.
/// </summary>
internal sealed class MisbehavingServer : IAsyncDisposable
{
    public const string AdminToken = "misbehaving-server-emulator-admin-token";
    private const string CollectionPath = "/tfs/DefaultCollection";

    private readonly WebApplication app;

    private MisbehavingServer(WebApplication app, Uri baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public string CollectionUrl => BaseUrl.AbsoluteUri.TrimEnd('/') + CollectionPath;

    /// <summary>Completed when a request to `_misbehave/hang` saw its caller (the proxy) go away.</summary>
    public TaskCompletionSource HangAborted { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ResetHang() => HangAborted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<MisbehavingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddAzureDevOpsEmulator(o => o.AdminToken = AdminToken);
        var app = builder.Build();
        MisbehavingServer? self = null;
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(CollectionPath, StringComparison.OrdinalIgnoreCase, out var rest))
            {
                await next(context);
                return;
            }

            if (rest.StartsWithSegments("/_misbehave", out var what))
            {
                await MisbehaveAsync(self!, context, what.Value!);
                return;
            }

            context.Request.Path = new PathString($"/{EmulatorDefaults.DevOpsHost}/{EmulatorDefaults.Organization}").Add(rest);
            await next(context);
        });
        app.UseRouting();
        app.MapAzureDevOpsEmulator();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new MisbehavingServer(app, new Uri(address.TrimEnd('/') + "/"));
        return self;
    }

    private static async Task MisbehaveAsync(MisbehavingServer self, HttpContext context, string what)
    {
        switch (what)
        {
            case "/reset":
                // Chunked (no Content-Length), so only a broken-off connection tells the caller the body is incomplete.
                context.Response.ContentType = "application/octet-stream";
                var chunk = new byte[16 * 1024];
                for (var i = 0; i < 4; i++)
                {
                    await context.Response.Body.WriteAsync(chunk);
                    await context.Response.Body.FlushAsync();
                }

                await Task.Delay(200);
                context.Abort();
                return;
            case "/hang":
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    self.HangAborted.TrySetResult();
                }

                return;
            case "/refuse":
                // Answers without reading: with `Expect: 100-continue` passed on, Kestrel never asks for the body.
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"message\":\"TF400813: refused before the body\"}");
                return;
            case "/echo":
                var expect = context.Request.Headers.Expect.ToString();
                var chunked = context.Request.Headers.TransferEncoding.ToString();
                var length = await DrainAsync(context);
                await context.Response.WriteAsJsonAsync(new { bytes = length, expect, chunked });
                return;
            default:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
        }
    }

    private static async Task<long> DrainAsync(HttpContext context)
    {
        long total = 0;
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                total += read;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // The proxy went away or never sent it: what arrived is the answer.
        }

        return total;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
