using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace AdoBridge.Bench;

/// <summary>
/// Issue 18's MCP benchmark: the same typed action (list projects, top 1) over REST and as an MCP tools/call (2026-07-28,
/// stateless: one POST per call), paced at a fixed rate in interleaved rounds; tools/list paced the same way; then
/// `--clients` concurrent MCP clients calling as fast as they can, counting errors. Every call is audited, as in production.
/// </summary>
internal static class McpBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Args.GetInt(args, "--seconds", 10);
        var rate = Args.GetInt(args, "--rate", 200);
        var clients = Args.GetInt(args, "--clients", 100);
        var calls = Args.GetInt(args, "--calls", 20);
        var settings = Args.Environment(args);
        settings.TryAdd("AdoBridge__RateLimits__McpRequestsPerMinute", "0");
        using var stack = await BenchStack.StartAsync("mcpbench", settings);
        var rest = $"{stack.ServerUrl}/v1/connections/{stack.ConnectionId}/organizations/fabrikam/projects?top=1";
        var mcp = $"{stack.ServerUrl}/mcp";
        var call = Rpc("tools/call", "list_projects", $$"""{"name":"list_projects","arguments":{"connection":"{{stack.ConnectionId}}","organization":"fabrikam","top":1}""");
        var list = Rpc("tools/list", null, "{");

        using var probe = new HttpClient();
        probe.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BenchStack.ApiKey);
        var sample = await (await probe.SendAsync(Request(mcp, call))).Content.ReadAsStringAsync();
        if (!sample.Contains("structuredContent", StringComparison.Ordinal))
        {
            Console.Error.WriteLine("tools/call did not answer a result: " + sample[..Math.Min(500, sample.Length)]);
            return 1;
        }

        Console.WriteLine($"load average at start: {LoadAverage()}");
        var names = new[] { "REST action", "MCP tools/call", "MCP tools/list" };
        var pacers = new[]
        {
            new Pacer(rest, "Bearer " + BenchStack.ApiKey, 32),
            new Pacer(mcp, "Bearer " + BenchStack.ApiKey, 32, () => Request(mcp, call)),
            new Pacer(mcp, "Bearer " + BenchStack.ApiKey, 32, () => Request(mcp, list)),
        };
        try
        {
            foreach (var pacer in pacers)
            {
                await pacer.RunAsync(rate, 1);
            }

            var samples = pacers.Select(_ => new List<Pacer.Samples>()).ToArray();
            var rounds = Math.Max(1, seconds / 2);
            for (var r = 0; r < rounds; r++)
            {
                for (var t = 0; t < pacers.Length; t++)
                {
                    samples[t].Add(await pacers[t].RunAsync(rate, 2));
                }
            }

            var results = samples.Select(Pacer.Summarise).ToArray();
            Console.WriteLine($"latency at a fixed {rate} req/s, open loop ({rounds} rounds of 2 s per target, interleaved):");
            for (var t = 0; t < pacers.Length; t++)
            {
                Console.WriteLine($"  {names[t],-15} {results[t]}");
            }

            var (sent, failed, elapsed) = await ConcurrentAsync(mcp, call, clients, calls);
            Console.WriteLine();
            Console.WriteLine($"summary (one run; load average {LoadAverage()} at end, {Environment.ProcessorCount} cores)");
            var added = results[1].P50 - results[0].P50;
            Console.WriteLine($"  tools/call adds {added:F3} ms at the median over the REST action [target <= 1: {Verdict(added <= 1)}] (p99 {results[1].P99 - results[0].P99:F3} ms)");
            Console.WriteLine($"  tools/list median {results[2].P50:F3} ms [target <= 2: {Verdict(results[2].P50 <= 2)}]");
            Console.WriteLine($"  {clients} concurrent clients x {calls} tools/call: {sent} calls in {elapsed.TotalSeconds:F1} s, {failed} errors [target 0: {Verdict(failed == 0)}]");
            return 0;
        }
        finally
        {
            foreach (var pacer in pacers)
            {
                pacer.Dispose();
            }
        }
    }

    /// <summary>Each client its own HttpClient, calling one after another; an HTTP error or a tool error counts as failed.</summary>
    private static async Task<(int Sent, int Failed, TimeSpan Elapsed)> ConcurrentAsync(string mcp, (string Body, string Method, string? Name) call, int clients, int calls)
    {
        var failed = 0;
        var timer = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            using var client = new HttpClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BenchStack.ApiKey);
            for (var i = 0; i < calls; i++)
            {
                try
                {
                    using var response = await client.SendAsync(Request(mcp, call));
                    var body = await response.Content.ReadAsStringAsync();
                    if (!response.IsSuccessStatusCode || !body.Contains("structuredContent", StringComparison.Ordinal) || body.Contains("\"isError\":true", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }));
        return (clients * calls, failed, timer.Elapsed);
    }

    /// <summary>A 2026-07-28 request: the revision and capabilities in `_meta`, the method and name in headers, no session.</summary>
    private static (string Body, string Method, string? Name) Rpc(string method, string? name, string paramsOpen)
    {
        const string Meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":{}}";
        var body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + paramsOpen + (paramsOpen == "{" ? string.Empty : ",") + Meta + "}}";
        return (body, method, name);
    }

    private static HttpRequestMessage Request(string url, (string Body, string Method, string? Name) rpc)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(rpc.Body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", "2026-07-28");
        request.Headers.TryAddWithoutValidation("Mcp-Method", rpc.Method);
        if (rpc.Name is not null)
        {
            request.Headers.TryAddWithoutValidation("Mcp-Name", rpc.Name);
        }

        return request;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static string Verdict(bool met) => met ? "met" : "NOT met";
}
