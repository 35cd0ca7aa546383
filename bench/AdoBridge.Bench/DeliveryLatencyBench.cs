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
        var warmup = Args.GetInt(args, "--warmup", 5);
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
        var send = new Sender(http, url, secret, template, arrivals);

        // Warm-up: the same load for a while, then wait until all of it is delivered, so the measured run starts from an
        // empty queue with the code paths compiled (a cold process on 2 cores falls behind for its first seconds).
        Console.WriteLine($"end to end on {(postgres is null ? "SQLite" : "PostgreSQL")}: warm-up {warmup} s at {rate} events/s, then {rate} events/s for {seconds} s, uptime load: {File.ReadAllText("/proc/loadavg").Trim()}");
        var warm = await send.RunAsync(WarmupIds, rate, warmup);
        Console.WriteLine($"  warm-up: sent {warm.Sent}, failed {warm.Failed}, delivered {warm.Delivered}; median by second (ms): {warm.BySecond}");

        var run = await send.RunAsync(0, rate, seconds);
        var measured = run.Latencies;
        double Pct(double p) => measured.Length == 0 ? double.NaN : measured[Math.Min(measured.Length - 1, (int)(p * measured.Length))];
        Console.WriteLine($"  sent {run.Sent}, failed {run.Failed}, delivered {run.Delivered}");
        Console.WriteLine($"  ingest → delivery latency: p50 {Pct(0.50):F1} ms  p90 {Pct(0.90):F1} ms  p99 {Pct(0.99):F1} ms  max {measured.LastOrDefault():F1} ms");
        Console.WriteLine($"  median by second of sending (ms): {run.BySecond}");
        Console.WriteLine($"  load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
        return run.Delivered >= run.Sent - run.Failed ? 0 : 1;
    }

    /// <summary>Warm-up events are numbered from here, apart from the measured ones.</summary>
    private const long WarmupIds = 10_000_000;

    private sealed record Phase(int Sent, int Failed, int Delivered, double[] Latencies, string BySecond);

    private sealed class Sender(HttpClient http, string url, string secret, string template, ConcurrentDictionary<long, long> arrivals)
    {
        /// <summary>Sends <paramref name="rate"/> events a second, each at its scheduled time, then waits (up to a minute) for all to arrive.</summary>
        public async Task<Phase> RunAsync(long firstId, int rate, int seconds)
        {
            var total = rate * seconds;
            var scheduled = new long[total];
            var failures = 0;
            var start = Stopwatch.GetTimestamp();
            var sends = new List<Task>(total);
            for (var i = 0; i < total; i++)
            {
                // Sleep (never spin: on 2 cores a spinning generator takes CPU from what it measures) until the event is
                // due, then send every event that is due. Latency counts from the scheduled time, so a late wake-up is
                // charged to the result rather than hidden.
                var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
                while (Stopwatch.GetTimestamp() < due)
                {
                    await Task.Delay(1);
                }

                scheduled[i] = due;
                var body = template.Replace("__ID__", "lat-" + (firstId + i).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
                sends.Add(SendAsync(http, url, secret, body, () => Interlocked.Increment(ref failures)));
            }

            await Task.WhenAll(sends);
            int Arrived() => Enumerable.Range(0, total).Count(i => arrivals.ContainsKey(firstId + i));
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Arrived() < total - failures && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            double Latency(int i) => (arrivals[firstId + i] - scheduled[i]) * 1000.0 / Stopwatch.Frequency;
            var latencies = Enumerable.Range(0, total).Where(i => arrivals.ContainsKey(firstId + i)).Select(Latency).Order().ToArray();

            // The median of each second of sending: flat means a fixed delay, rising means delivery falls behind the offered rate.
            var bySecond = string.Join(" ", Enumerable.Range(0, seconds).Select(sec =>
            {
                var lat = Enumerable.Range(sec * rate, rate).Where(i => arrivals.ContainsKey(firstId + i)).Select(Latency).Order().ToArray();
                return lat.Length == 0 ? "-" : lat[lat.Length / 2].ToString("F0", CultureInfo.InvariantCulture);
            }));
            return new Phase(total, failures, latencies.Length, latencies, bySecond);
        }
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
