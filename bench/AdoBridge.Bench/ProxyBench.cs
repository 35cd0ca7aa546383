using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AdoBridge.Bench;

/// <summary>
/// Issue 4's proxy benchmark: the same small GET straight to the emulator, through a bare forwarder, and through
/// AdoBridge's proxy, each loaded by wrk on loopback with every server in its own process; then a large download through
/// the proxy while AdoBridge's peak memory is watched.
/// </summary>
internal static partial class ProxyBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Args.GetInt(args, "--seconds", 10);
        var downloadMiB = Args.GetInt(args, "--download-mib", 200);
        var self = typeof(ProxyBench).Assembly.Location;
        var forwarderPort = Probes.FreePort();
        using var stack = await BenchStack.StartAsync("proxybench");
        var (emulatorUrl, connectionId, api, adobridge) = (stack.EmulatorUrl, stack.ConnectionId, stack.Api, stack.AdoBridge);
        var basic = "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes(":" + stack.Pat));
        using var forwarder = ChildProcess.Start(self, ["forwarder", "--port", forwarderPort.ToString(CultureInfo.InvariantCulture), "--upstream", emulatorUrl, "--authorization", basic], new Dictionary<string, string>());
        using var probe = new HttpClient();
        await Probes.WaitAsync(() => probe.GetAsync($"http://127.0.0.1:{forwarderPort}/dev.azure.com/fabrikam/_apis/projects?$top=1&api-version=7.1"));

        const string path = "dev.azure.com/fabrikam/_apis/projects?$top=1&api-version=7.1";
        var direct = ($"{emulatorUrl}{path}", basic);
        var bare = ($"http://127.0.0.1:{forwarderPort}/{path}", (string?)null);
        var proxied = ($"{stack.ServerUrl}/v1/proxy/{connectionId}/fabrikam/_apis/projects?$top=1&api-version=7.1", "Bearer " + BenchStack.ApiKey);

        Console.WriteLine("warm-up…");
        foreach (var target in new[] { direct, bare, proxied })
        {
            Wrk.Run(target.Item1, target.Item2, 4, 3);
        }

        Console.WriteLine("latency, one request at a time (wrk -t1 -c1):");
        var latency = new[] { ("emulator direct", direct), ("bare forwarder", bare), ("AdoBridge proxy", proxied) }
            .Select(t => (t.Item1, Wrk.Run(t.Item2.Item1, t.Item2.Item2, 1, seconds))).ToList();
        foreach (var (name, r) in latency)
        {
            Console.WriteLine($"  {name,-16} {r.Rps,8:F0} req/s  p50 {r.P50,6:F3} ms  p99 {r.P99,6:F3} ms");
        }

        Console.WriteLine("saturation (wrk -t2 -c64):");
        var cpuBefore = adobridge.CpuTime;
        var saturation = new List<(string Name, WrkResult Result)>();
        foreach (var (name, target) in new[] { ("emulator direct", direct), ("bare forwarder", bare), ("AdoBridge proxy", proxied) })
        {
            var before = adobridge.CpuTime;
            var result = Wrk.Run(target.Item1, target.Item2, 64, seconds);
            saturation.Add((name, result));
            var cpu = adobridge.CpuTime - before;
            Console.WriteLine($"  {name,-16} {result.Rps,8:F0} req/s  p50 {result.P50,6:F3} ms  p99 {result.P99,6:F3} ms" +
                (name == "AdoBridge proxy" ? $"  AdoBridge CPU {cpu.TotalMilliseconds * 1000 / Math.Max(1, result.Requests):F0} µs per request" : string.Empty));
        }

        var proxyRps = saturation[2].Result.Rps;
        Console.WriteLine($"  proxy / bare forwarder: {proxyRps / saturation[1].Result.Rps:F2}");
        Console.WriteLine($"  added median latency (one at a time): proxy {latency[2].Item2.P50 - latency[0].Item2.P50:F3} ms, bare {latency[1].Item2.P50 - latency[0].Item2.P50:F3} ms; added p99: proxy {latency[2].Item2.P99 - latency[0].Item2.P99:F3} ms");

        (await stack.Admin.PostAsJsonAsync("git/synthetic-files", new { path = "/big.bin", length = (long)downloadMiB * 1024 * 1024 })).EnsureSuccessStatusCode();
        var repos = await api.GetFromJsonAsync<JsonElement>($"v1/proxy/{connectionId}/fabrikam/Fabrikam-Fiber-Git/_apis/git/repositories?api-version=7.1");
        var repoId = repos.GetProperty("value").EnumerateArray().First(r => r.GetProperty("name").GetString() == "Fabrikam-Fiber-Git").GetProperty("id").GetString();
        var rssBefore = adobridge.Memory();
        var timer = Stopwatch.StartNew();
        await using (var stream = await api.GetStreamAsync($"v1/proxy/{connectionId}/fabrikam/Fabrikam-Fiber-Git/_apis/git/repositories/{repoId}/items?path=/big.bin&download=true&api-version=7.1"))
        {
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                total += read;
            }

            Console.WriteLine($"download: {total / 1024.0 / 1024.0:F0} MiB in {timer.Elapsed.TotalSeconds:F1} s");
        }

        var rssAfter = adobridge.Memory();
        Console.WriteLine($"  AdoBridge peak RSS before {rssBefore.PeakMiB:F0} MiB, after {rssAfter.PeakMiB:F0} MiB: grew {rssAfter.PeakMiB - rssBefore.PeakMiB:F0} MiB");
        return 0;
    }
}
