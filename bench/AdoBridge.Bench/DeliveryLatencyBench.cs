using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AdoBridge.Bench;

/// <summary>
/// Issue 5's end-to-end latency: pull-request events posted to ingest at a fixed rate (open loop: each is sent at its
/// scheduled time whether or not earlier ones were answered), delivered by AdoBridge to a webhook endpoint in this
/// process; the latency of each is from its scheduled send to its arrival at the endpoint, on one clock.
/// </summary>
internal static class DeliveryLatencyBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rate = Args.GetInt(args, "--rate", 500);
        var seconds = Args.GetInt(args, "--seconds", 20);
        var postgres = Args.Get(args, "--postgres");
        var settings = Args.Server(args);

        var arrivals = new ConcurrentDictionary<long, long>();
        await using var receiver = await StartReceiverAsync(arrivals);
        using var stack = await BenchStack.StartAsync("latencybench", settings);
        var endpoint = await stack.Api.PostAsJsonAsync("v1/webhook-endpoints", new { url = receiver.Urls.First() + "/hook", events = new[] { "pull_request.*" } });
        endpoint.EnsureSuccessStatusCode();
        var (url, secret) = await IngestBench.SubscribeAsync(stack, "git.pullrequest.created");
        var template = IngestBench.Template();

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
        Console.WriteLine($"end to end on {(postgres is null ? "SQLite" : "PostgreSQL")}: {rate} events/s for {seconds} s (first 2 s are warm-up), uptime load: {File.ReadAllText("/proc/loadavg").Trim()}");
        var total = rate * seconds;
        var scheduled = new long[total];
        var failures = 0;
        var start = Stopwatch.GetTimestamp();
        var sends = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
            while (Stopwatch.GetTimestamp() < due)
            {
                var wait = (due - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
                if (wait > 1)
                {
                    await Task.Delay((int)wait - 1);
                }
                else
                {
                    Thread.SpinWait(50);
                }
            }

            scheduled[i] = due;
            var body = template.Replace("__ID__", "lat-" + i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            sends.Add(SendAsync(http, url, secret, body, () => Interlocked.Increment(ref failures)));
        }

        await Task.WhenAll(sends);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (arrivals.Count < total - failures && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var measured = Enumerable.Range(rate * 2, total - rate * 2)
            .Where(i => arrivals.ContainsKey(i))
            .Select(i => (arrivals[i] - scheduled[i]) * 1000.0 / Stopwatch.Frequency)
            .Order().ToArray();
        double Pct(double p) => measured.Length == 0 ? double.NaN : measured[Math.Min(measured.Length - 1, (int)(p * measured.Length))];
        Console.WriteLine($"  sent {total}, failed {failures}, delivered {arrivals.Count}, measured {measured.Length}");
        Console.WriteLine($"  ingest → delivery latency: p50 {Pct(0.50):F1} ms  p90 {Pct(0.90):F1} ms  p99 {Pct(0.99):F1} ms  max {measured.LastOrDefault():F1} ms");
        return arrivals.Count >= total - failures ? 0 : 1;
    }

    private static async Task SendAsync(HttpClient http, string url, string secret, string body, Action failed)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-AdoBridge-Hook-Secret", secret);
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                failed();
            }
        }
        catch (HttpRequestException)
        {
            failed();
        }
    }

    /// <summary>The product's endpoint: notes when each event (by the number in its id) arrives.</summary>
    private static async Task<WebApplication> StartReceiverAsync(ConcurrentDictionary<long, long> arrivals)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/hook", async (HttpContext context) =>
        {
            var now = Stopwatch.GetTimestamp();
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var title = body.RootElement.GetProperty("data").GetProperty("pullRequest").GetProperty("title").GetString() ?? string.Empty;
            if (title.StartsWith("bench lat-", StringComparison.Ordinal) && long.TryParse(title["bench lat-".Length..], CultureInfo.InvariantCulture, out var i))
            {
                arrivals.TryAdd(i, now);
            }

            return Results.Ok();
        });
        await app.StartAsync();
        return app;
    }
}
