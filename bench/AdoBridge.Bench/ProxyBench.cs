using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AdoBridge.Bench;

/// <summary>
/// Issue 4's proxy benchmark (issue 17 added the bare YARP baseline): the same small GET straight to the emulator, through a
/// bare HttpClient forwarder, through a bare YARP forwarder (fixed credential, no lookup), and through AdoBridge's proxy, with every server in its own process on loopback. Latency comes from an open-loop generator at a
/// fixed rate (<see cref="Pacer"/>), throughput from wrk at saturation; then a large download through the proxy while
/// AdoBridge's peak memory is watched. Every figure compared is taken in this one run.
/// </summary>
internal static class ProxyBench
{
    private static readonly string[] Names = ["emulator direct", "bare forwarder", "bare YARP", "AdoBridge proxy"];
    private static readonly string[] Processes = ["emulator", "forwarder", "YARP", "AdoBridge"];
    private const int Direct = 0, Bare = 1, Yarp = 2, Proxy = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Args.GetInt(args, "--seconds", 10);
        var rate = Args.GetInt(args, "--rate", 1000);
        var downloadMiB = Args.GetInt(args, "--download-mib", 200);
        var loadBefore = LoadAverage();
        var self = typeof(ProxyBench).Assembly.Location;
        var forwarderPort = Probes.FreePort();
        var yarpPort = Probes.FreePort();
        using var stack = await BenchStack.StartAsync("proxybench", Args.Environment(args));
        var (emulatorUrl, connectionId, api, adobridge) = (stack.EmulatorUrl, stack.ConnectionId, stack.Api, stack.AdoBridge);
        var basic = "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes(":" + stack.Pat));
        using var forwarder = ChildProcess.Start(self, ["forwarder", "--port", forwarderPort.ToString(CultureInfo.InvariantCulture), "--upstream", emulatorUrl, "--authorization", basic], new Dictionary<string, string>());
        using var yarp = ChildProcess.Start(self, ["forwarder", "--yarp", "--port", yarpPort.ToString(CultureInfo.InvariantCulture), "--upstream", emulatorUrl, "--authorization", basic], new Dictionary<string, string>());
        using var probe = new HttpClient();
        await Probes.WaitAsync(() => probe.GetAsync($"http://127.0.0.1:{forwarderPort}/dev.azure.com/fabrikam/_apis/projects?$top=1&api-version=7.1"));
        await Probes.WaitAsync(() => probe.GetAsync($"http://127.0.0.1:{yarpPort}/dev.azure.com/fabrikam/_apis/projects?$top=1&api-version=7.1"));

        const string path = "dev.azure.com/fabrikam/_apis/projects?$top=1&api-version=7.1";
        (string Url, string? Authorization)[] targets =
        [
            ($"{emulatorUrl}{path}", basic),
            ($"http://127.0.0.1:{forwarderPort}/{path}", null),
            ($"http://127.0.0.1:{yarpPort}/{path}", null),
            ($"{stack.ServerUrl}/v1/proxy/{connectionId}/fabrikam/_apis/projects?$top=1&api-version=7.1", "Bearer " + BenchStack.ApiKey),
        ];

        Console.WriteLine($"load average at start: {loadBefore}");
        Console.WriteLine("warm-up…");
        foreach (var (url, authorization) in targets)
        {
            Wrk.Run(url, authorization, 4, 3);
        }

        var measured = new[] { stack.Emulator, forwarder, yarp, adobridge };
        var (paced, _) = await PacedLatencyAsync(targets, measured, rate, seconds, Args.GetInt(args, "--round", 2));

        Console.WriteLine("saturation (wrk -t2 -c64, closed loop):");
        var saturation = new WrkResult[targets.Length];
        var cpuPerRequest = new double[targets.Length];
        for (var t = 0; t < targets.Length; t++)
        {
            // CPU of the process that does the forwarding (the emulator itself for the direct run), per request served.
            var before = measured[t].CpuTime;
            saturation[t] = Wrk.Run(targets[t].Url, targets[t].Authorization, 64, seconds);
            cpuPerRequest[t] = (measured[t].CpuTime - before).TotalMilliseconds * 1000 / Math.Max(1, saturation[t].Requests);
            Console.WriteLine($"  {Names[t],-16} {saturation[t].Rps,8:F0} req/s  p50 {saturation[t].P50,6:F3} ms  p99 {saturation[t].P99,6:F3} ms  non-2xx {saturation[t].Non2xx}, socket errors {saturation[t].SocketErrors}, " +
                $"{Processes[t]} CPU {cpuPerRequest[t]:F0} µs per request");
        }

        var growth = await DownloadAsync(stack, api, connectionId, downloadMiB);
        var loadAfter = LoadAverage();

        Console.WriteLine();
        Console.WriteLine($"summary (one run; load average {loadBefore} at start, {loadAfter} at end, {Environment.ProcessorCount} cores)");
        if (args.Contains("--telemetry"))
        {
            Console.WriteLine("telemetry on: " + TelemetrySink.Summary);
        }

        var added = (P50: paced[Proxy].P50 - paced[Direct].P50, P99: paced[Proxy].P99 - paced[Direct].P99);
        Console.WriteLine($"  latency at {rate} req/s, added over direct: AdoBridge p50 {added.P50:F3} ms [target <= 0.15: {Verdict(added.P50 <= 0.15)}], p99 {added.P99:F3} ms [target <= 1: {Verdict(added.P99 <= 1)}]; " +
            $"bare YARP p50 {paced[Yarp].P50 - paced[Direct].P50:F3} ms, p99 {paced[Yarp].P99 - paced[Direct].P99:F3} ms; bare forwarder p50 {paced[Bare].P50 - paced[Direct].P50:F3} ms, p99 {paced[Bare].P99 - paced[Direct].P99:F3} ms");
        var toYarp = saturation[Proxy].Rps / saturation[Yarp].Rps;
        var cpuToYarp = cpuPerRequest[Proxy] / cpuPerRequest[Yarp];
        Console.WriteLine($"  saturation: AdoBridge {saturation[Proxy].Rps:F0} req/s, {toYarp:F3} of bare YARP's {saturation[Yarp].Rps:F0} [target >= 0.95: {Verdict(toYarp >= 0.95)}], " +
            $"{saturation[Proxy].Rps / saturation[Bare].Rps:F2} of the bare forwarder's {saturation[Bare].Rps:F0}, {saturation[Proxy].Rps / saturation[Direct].Rps:F2} of direct's {saturation[Direct].Rps:F0}");
        Console.WriteLine($"  CPU per request: AdoBridge {cpuPerRequest[Proxy]:F0} µs, {cpuToYarp:F3}x bare YARP's {cpuPerRequest[Yarp]:F0} µs [target <= 1.15: {Verdict(cpuToYarp <= 1.15)}]; bare forwarder {cpuPerRequest[Bare]:F0} µs");
        Console.WriteLine($"  {downloadMiB} MiB download: AdoBridge peak RSS grew {growth:F0} MiB [target: no growth, < 16 MiB of noise: {Verdict(growth < 16)}]");
        return 0;
    }

    /// <summary>
    /// Each target paced in turn, in rounds of `--round` seconds (2 by default), so a change in the machine's background load falls on
    /// all three alike; each keeps its own connections across rounds.
    /// </summary>
    private static async Task<(PacedResult[] Results, double[] CpuPerRequest)> PacedLatencyAsync((string Url, string? Authorization)[] targets, ChildProcess[] measured, int rate, int seconds, int roundSeconds)
    {
        var round = Math.Clamp(roundSeconds, 1, seconds);
        var rounds = Math.Max(1, seconds / round);
        Console.WriteLine($"latency at a fixed {rate} req/s, open loop, from each request's scheduled send time ({rounds} rounds of {round} s per target, interleaved):");
        var pacers = targets.Select(t => new Pacer(t.Url, t.Authorization, 32)).ToArray();
        try
        {
            foreach (var pacer in pacers)
            {
                await pacer.RunAsync(rate, 1);
            }

            var samples = targets.Select(_ => new List<Pacer.Samples>()).ToArray();
            var cpu = new TimeSpan[targets.Length];
            for (var r = 0; r < rounds; r++)
            {
                for (var t = 0; t < targets.Length; t++)
                {
                    var before = measured[t].CpuTime;
                    samples[t].Add(await pacers[t].RunAsync(rate, round));
                    cpu[t] += measured[t].CpuTime - before;
                }
            }

            // Process CPU over the run divided by its requests: at a moderate rate this is mostly the runtime's thread
            // pool spinning between requests, not work per request, so it is printed here and left out of the summary.
            var results = samples.Select(Pacer.Summarise).ToArray();
            var perRequest = cpu.Select((c, t) => c.TotalMilliseconds * 1000 / results[t].Sent).ToArray();
            for (var t = 0; t < targets.Length; t++)
            {
                Console.WriteLine($"  {Names[t],-16} {results[t]}, {Processes[t]} process CPU {perRequest[t]:F0} µs / request (mostly idle spinning)");
            }

            return (results, perRequest);
        }
        finally
        {
            foreach (var pacer in pacers)
            {
                pacer.Dispose();
            }
        }
    }

    /// <summary>Downloads a synthetic file through the proxy; returns how much AdoBridge's peak RSS grew, in MiB.</summary>
    private static async Task<double> DownloadAsync(BenchStack stack, HttpClient api, string connectionId, int downloadMiB)
    {
        (await stack.Admin.PostAsJsonAsync("git/synthetic-files", new { path = "/big.bin", length = (long)downloadMiB * 1024 * 1024 })).EnsureSuccessStatusCode();
        var repos = await api.GetFromJsonAsync<JsonElement>($"v1/proxy/{connectionId}/fabrikam/Fabrikam-Fiber-Git/_apis/git/repositories?api-version=7.1");
        var repoId = repos.GetProperty("value").EnumerateArray().First(r => r.GetProperty("name").GetString() == "Fabrikam-Fiber-Git").GetProperty("id").GetString();
        var rssBefore = stack.AdoBridge.Memory();
        var timer = Stopwatch.StartNew();
        long total = 0;
        await using (var stream = await api.GetStreamAsync($"v1/proxy/{connectionId}/fabrikam/Fabrikam-Fiber-Git/_apis/git/repositories/{repoId}/items?path=/big.bin&download=true&api-version=7.1"))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                total += read;
            }
        }

        var rssAfter = stack.AdoBridge.Memory();
        Console.WriteLine($"download through the proxy: {total / 1024.0 / 1024.0:F0} MiB in {timer.Elapsed.TotalSeconds:F1} s; AdoBridge peak RSS {rssBefore.PeakMiB:F0} → {rssAfter.PeakMiB:F0} MiB");
        return rssAfter.PeakMiB - rssBefore.PeakMiB;
    }

    private static string Verdict(bool met) => met ? "met" : "NOT met";

    internal static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
