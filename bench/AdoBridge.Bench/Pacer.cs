using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;

namespace AdoBridge.Bench;

/// <summary>What one paced run measured: latency percentiles in milliseconds from each request's scheduled send time.</summary>
internal sealed record PacedResult(int Sent, int Failed, double AchievedRate, double P50, double P90, double P99, double Max, double DispatchLateP99)
{
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture,
            $"{AchievedRate,6:F0} req/s  p50 {P50,6:F3} ms  p90 {P90,6:F3} ms  p99 {P99,6:F3} ms  max {Max,7:F2} ms  ({Sent} sent, {Failed} failed, dispatch late p99 {DispatchLateP99:F3} ms)");
}

/// <summary>
/// An open-loop load generator: small GETs sent at a fixed rate over a pool of keep-alive connections, whatever the
/// server's answers do. Each latency runs from the request's scheduled send time, not from when it was really sent, so
/// a stall counts against every request it delays (no coordinated omission, which a closed loop like wrk has).
/// </summary>
internal sealed class Pacer : IDisposable
{
    private readonly HttpClient client;
    private readonly string url;
    private readonly Func<HttpRequestMessage>? request;

    /// <summary>GETs of <paramref name="url"/>, or the requests <paramref name="request"/> makes (a POST with a body, for MCP).</summary>
    public Pacer(string url, string? authorization, int connections, Func<HttpRequestMessage>? request = null)
    {
        this.url = url;
        this.request = request;
        client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        });
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }
    }

    /// <summary>`pace --url U [--authorization V] [--rate 1000] [--seconds 10] [--connections 32]`: one paced run, printed.</summary>
    public static async Task<int> RunCommandAsync(string[] args)
    {
        var url = Args.Get(args, "--url") ?? throw new ArgumentException("--url is required.");
        using var pacer = new Pacer(url, Args.Get(args, "--authorization"), Args.GetInt(args, "--connections", 32));
        var rate = Args.GetInt(args, "--rate", 1000);
        await pacer.RunAsync(rate, 1);
        Console.WriteLine(Summarise([await pacer.RunAsync(rate, Args.GetInt(args, "--seconds", 10))]));
        return 0;
    }

    /// <summary>Sends <paramref name="rate"/> requests a second for <paramref name="seconds"/>; returns each request's latency and dispatch delay in stopwatch ticks.</summary>
    public async Task<Samples> RunAsync(int rate, int seconds)
    {
        var count = rate * seconds;
        var samples = new Samples(count);
        var pending = new Task[count];
        var interval = (double)Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;

        // A dedicated thread keeps the schedule: the thread pool's timers tick in milliseconds, the interval here is one.
        var dispatcher = new Thread(() =>
        {
            for (var i = 0; i < count; i++)
            {
                var due = start + (long)(i * interval);
                WaitUntil(due);
                samples.Late[i] = Stopwatch.GetTimestamp() - due;
                pending[i] = SendAsync(samples, i, due);
            }
        }) { IsBackground = true, Name = "pacer", Priority = ThreadPriority.AboveNormal };
        dispatcher.Start();
        await Task.Run(dispatcher.Join);
        await Task.WhenAll(pending);
        samples.Elapsed = Stopwatch.GetTimestamp() - start;
        return samples;
    }

    private async Task SendAsync(Samples samples, int i, long due)
    {
        try
        {
            using var response = request is null
                ? await client.GetAsync(url, HttpCompletionOption.ResponseContentRead)
                : await client.SendAsync(request(), HttpCompletionOption.ResponseContentRead);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref samples.Failed);
            }
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref samples.Failed);
        }

        samples.Latency[i] = Stopwatch.GetTimestamp() - due;
    }

    /// <summary>Sleeps in the kernel to about 80 µs before <paramref name="due"/>, then spins: precise without burning a core.</summary>
    private static void WaitUntil(long due)
    {
        var slack = Stopwatch.Frequency / 12_500;
        for (var now = Stopwatch.GetTimestamp(); now < due; now = Stopwatch.GetTimestamp())
        {
            var remaining = due - now;
            if (remaining > slack)
            {
                _ = USleep((uint)((remaining - slack) * 1_000_000 / Stopwatch.Frequency));
            }
            else
            {
                Thread.SpinWait(20);
            }
        }
    }

    /// <summary>Percentiles over several runs of one target, taken together.</summary>
    public static PacedResult Summarise(IReadOnlyList<Samples> runs)
    {
        var latency = runs.SelectMany(r => r.Latency).Order().ToArray();
        var late = runs.SelectMany(r => r.Late).Order().ToArray();
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        double At(long[] sorted, double p) => Ms(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)]);
        var sent = latency.Length;
        return new PacedResult(sent, runs.Sum(r => r.Failed), sent / runs.Sum(r => Ms(r.Elapsed) / 1000),
            At(latency, 0.50), At(latency, 0.90), At(latency, 0.99), Ms(latency[^1]), At(late, 0.99));
    }

    public void Dispose() => client.Dispose();

    // usleep(3) rather than Thread.Sleep: .NET sleeps in whole milliseconds, a whole interval at 1,000 requests/s.
    // DllImport, not LibraryImport: the latter needs unsafe code enabled, for one call that marshals nothing.
    [DllImport("libc", EntryPoint = "usleep")]
    private static extern int USleep(uint microseconds);

    /// <summary>Raw figures of one run, in stopwatch ticks.</summary>
    internal sealed class Samples(int count)
    {
        public long[] Latency { get; } = new long[count];
        public long[] Late { get; } = new long[count];
        public long Elapsed { get; set; }
        public int Failed;
    }
}
