using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AdoBridge.IntegrationTests.Emulator;

/// <summary>A webhook endpoint on a loopback Kestrel port that records what it receives and answers a chosen status.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<ReceivedHook> _received = Channel.CreateUnbounded<ReceivedHook>();

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>Status answered to the next requests (200 unless changed).</summary>
    public int Status { get; set; } = 200;

    public string Url { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            // The answer is the status set when the hook arrived: a test that changes it after reading this hook must not
            // change this hook's answer too (it did, under load, and a 503 meant to be retried went out as a 200).
            var status = receiver.Status;
            receiver._received.Writer.TryWrite(new ReceivedHook(headers, JsonDocument.Parse(body).RootElement.Clone()));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        receiver.Url = app.Urls.First().TrimEnd('/') + "/hook";
        return receiver;
    }

    public async Task<ReceivedHook> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        return await _received.Reader.ReadAsync(cts.Token);
    }

    public bool TryNext(out ReceivedHook? hook) => _received.Reader.TryRead(out hook);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record ReceivedHook(IReadOnlyDictionary<string, string> Headers, JsonElement Body)
{
    public string EventType => Body.GetProperty("eventType").GetString()!;
}
