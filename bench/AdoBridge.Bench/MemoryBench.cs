using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace AdoBridge.Bench;

/// <summary>
/// Issue 15's memory benchmark: AdoBridge's resident memory before a burst of large ingests, at its peak, and a minute
/// after. The burst is <c>--requests</c> (200) concurrent valid pull-request notifications of just under Azure DevOps'
/// 2 MB limit, each a new event (committed and delivered to nothing: no webhook endpoint is registered), to a real
/// subscription's ingest URL. Target: 60 s after the burst, RSS within 300 MiB of its value before.
/// </summary>
internal static class MemoryBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var requests = Args.GetInt(args, "--requests", 200);
        var idleSeconds = Args.GetInt(args, "--idle-seconds", 60);
        var size = Args.GetInt(args, "--bytes", 2 * 1024 * 1024 - 4096);
        using var stack = await BenchStack.StartAsync("memorybench", Args.Server(args));
        var (url, secret) = await IngestBench.SubscribeAsync(stack, "git.pullrequest.created");
        var template = Padded(size);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = requests }) { Timeout = TimeSpan.FromMinutes(5) };

        // Warm up with a few small and large requests, so "before" is a server that has served ingest, not a cold one.
        await BurstAsync(http, url, secret, IngestBench.Template(), 20);
        await BurstAsync(http, url, secret, template, 2);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var before = stack.AdoBridge.Memory().CurrentMiB;
        Console.WriteLine($"memory: {requests} concurrent ingests of {template.Length / 1024.0 / 1024.0:F2} MiB, RSS before {before:F0} MiB");

        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, stack.AdoBridge.Memory().CurrentMiB);
                await Task.Delay(50);
            }
        });
        var watch = Stopwatch.StartNew();
        var (ok, failed) = await BurstAsync(http, url, secret, template, requests);
        var burst = watch.Elapsed;
        Console.WriteLine($"  burst: {ok} answered 200, {failed} other, in {burst.TotalSeconds:F1} s; peak RSS {Math.Max(peak, stack.AdoBridge.Memory().CurrentMiB):F0} MiB (VmHWM {stack.AdoBridge.Memory().PeakMiB:F0} MiB)");

        for (var s = 10; s <= idleSeconds; s += 10)
        {
            await Task.Delay(TimeSpan.FromSeconds(10));
            Console.WriteLine($"  {s,3} s after: RSS {stack.AdoBridge.Memory().CurrentMiB:F0} MiB");
        }

        await sampling.CancelAsync();
        await sampler;
        var after = stack.AdoBridge.Memory().CurrentMiB;
        var met = after - before <= 300;
        Console.WriteLine($"  before {before:F0} MiB, peak {peak:F0} MiB, {idleSeconds} s after {after:F0} MiB: {after - before:+0;-0} MiB; target within 300 MiB: {(met ? "met" : "NOT met")}");
        return ok == requests && met ? 0 : 1;
    }

    /// <summary>The pull-request sample with its description padded so the body is <paramref name="bytes"/> long.</summary>
    private static string Padded(int bytes)
    {
        var json = JsonNode.Parse(IngestBench.Template())!.AsObject();
        json["resource"]!["description"] = string.Empty;
        var bare = Encoding.UTF8.GetByteCount(json.ToJsonString());
        var filler = new StringBuilder(bytes);
        var words = "Refactor the pipeline cache and update every caller; see the linked work items. ";
        while (filler.Length < bytes - bare)
        {
            filler.Append(words);
        }

        json["resource"]!["description"] = filler.ToString(0, bytes - bare);
        return json.ToJsonString();
    }

    private static async Task<(int Ok, int Failed)> BurstAsync(HttpClient http, string url, string secret, string template, int count)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var bodies = Enumerable.Range(0, count).Select(i => Encoding.UTF8.GetBytes(template.Replace("__ID__", $"{run}-{i}", StringComparison.Ordinal))).ToList();
        var ok = 0;
        var failed = 0;
        await Task.WhenAll(bodies.Select(async body =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add("X-AdoBridge-Hook-Secret", secret);
            try
            {
                using var response = await http.SendAsync(request);
                Interlocked.Increment(ref response.IsSuccessStatusCode ? ref ok : ref failed);
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref failed);
            }
        }));
        return (ok, failed);
    }
}
