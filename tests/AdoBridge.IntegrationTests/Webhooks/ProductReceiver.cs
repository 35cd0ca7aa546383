using System.Collections.Concurrent;
using System.Net;
using System.Text;
using AdoBridge.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AdoBridge.IntegrationTests.Webhooks;

/// <summary>One webhook request as the product's endpoint received it.</summary>
internal sealed record Receipt(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset ReceivedAt)
{
    public string WebhookId => Headers["webhook-id"];

    public string Text => Encoding.UTF8.GetString(Body);

    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement;

    public void ShouldVerifyWith(string secret)
        => new StandardWebhookVerifier(secret).Verify(Headers["webhook-id"], Headers["webhook-timestamp"], Headers["webhook-signature"], Body);
}

/// <summary>
/// The product's webhook endpoint, on a loopback Kestrel port: records every request (headers and raw body) and answers
/// what the test says, per path, so one receiver can play several endpoints (/ok, /flaky, /blackhole…). It also notices
/// when two requests with the same webhook-id are in progress at once, which would mean one attempt was sent twice.
/// </summary>
internal sealed class ProductReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<Receipt> received = new();
    private readonly ConcurrentDictionary<string, int> inProgress = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<Receipt, int>> responders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> blackholes = new(StringComparer.Ordinal);

    private ProductReceiver(WebApplication app) => this.app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyCollection<Receipt> Received => received;

    /// <summary>How many times two requests with one webhook-id overlapped in time.</summary>
    public int ConcurrentDuplicates;

    public static async Task<ProductReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new ProductReceiver(app);
        app.MapPost("/{**path}", receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return receiver;
    }

    public Uri Url(string path) => new(BaseUrl, path);

    /// <summary>Answer requests to <paramref name="path"/> with what <paramref name="status"/> returns (200 by default).</summary>
    public void Respond(string path, Func<Receipt, int> status) => responders["/" + path.TrimStart('/')] = status;

    /// <summary>Never answer requests to <paramref name="path"/> (the sender's timeout ends them).</summary>
    public void Blackhole(string path) => blackholes["/" + path.TrimStart('/')] = true;

    /// <summary>Answer requests to <paramref name="path"/> again (the ones held so far stay held).</summary>
    public void Heal(string path) => blackholes.TryRemove("/" + path.TrimStart('/'), out _);

    public IReadOnlyList<Receipt> On(string path) => received.Where(r => r.Path == "/" + path.TrimStart('/')).ToList();

    /// <summary>Waits until <paramref name="condition"/> holds for the receipts on <paramref name="path"/>; returns them.</summary>
    public async Task<IReadOnlyList<Receipt>> WaitAsync(string path, Func<IReadOnlyList<Receipt>, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var now = On(path);
            if (condition(now))
            {
                return now;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{path}: the condition did not hold within the timeout; {now.Count} requests arrived.");
            }

            await Task.Delay(25);
        }
    }

    public async Task<Receipt> NextAsync(string path, Func<Receipt, bool>? match = null, TimeSpan? timeout = null)
        => (await WaitAsync(path, r => r.Any(x => match?.Invoke(x) ?? true), timeout)).First(x => match?.Invoke(x) ?? true);

    private async Task HandleAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var receipt = new Receipt(http.Request.Path.Value ?? "/", headers, buffer.ToArray(), DateTimeOffset.UtcNow);
        var id = headers.GetValueOrDefault("webhook-id") ?? "";
        received.Enqueue(receipt);
        if (blackholes.ContainsKey(receipt.Path))
        {
            // Held until the sender gives up; not counted as in progress, since the receiver cannot tell when that was.
            await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        if (inProgress.AddOrUpdate(id, 1, (_, n) => n + 1) > 1)
        {
            Interlocked.Increment(ref ConcurrentDuplicates);
        }

        try
        {

            // Let a concurrent duplicate overlap, if there is one, so it is counted.
            await Task.Delay(2);
            var status = responders.TryGetValue(receipt.Path, out var respond) ? respond(receipt) : 200;
            http.Response.StatusCode = status;
            await http.Response.WriteAsync($"answer {status} from the product");
        }
        finally
        {
            inProgress.AddOrUpdate(id, 0, (_, n) => n - 1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Do not wait for requests held open by a blackhole: abort them.
        using var quick = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await app.StopAsync(quick.Token);
        await app.DisposeAsync();
    }
}
