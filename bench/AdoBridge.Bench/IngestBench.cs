using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdoBridge.Bench;

/// <summary>
/// Issue 5's ingest benchmark, with issue 21's baseline. Throughput: wrk posts Microsoft's 4.5 KB pull-request sample (a
/// fresh event id per request, so every one is a durable insert, not a duplicate) at saturation to a real subscription's
/// ingest URL, and in the rounds between to a bare durable ingest (<see cref="BareIngestCommand"/>) on the same storage
/// engine; every 200 means the event was committed. The two alternate in rounds (the order swapped each round), so a change
/// in the machine's load falls on both; the figure that counts is AdoBridge's share of the baseline in the same run. Then
/// the stored counts are checked against the 200s.
/// </summary>
internal static class IngestBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Args.GetInt(args, "--seconds", 10);
        var rounds = Args.GetInt(args, "--rounds", 4);
        var connections = Args.GetInt(args, "--connections", 64);
        var postgres = Args.Get(args, "--postgres");
        var settings = Args.Server(args);
        var loadBefore = ProxyBench.LoadAverage();

        using var stack = await BenchStack.StartAsync("ingestbench", settings);
        var (url, secret) = await SubscribeAsync(stack, "git.pullrequest.created");
        var barePort = Probes.FreePort();
        string[] store = postgres is null ? ["--sqlite", Path.Combine(stack.DataDirectory, "bare-ingest.db")] : ["--postgres", Args.FreshDatabase(postgres)];
        // With AdoBridge's runtime settings (server GC, as every ASP.NET Core app has by default), so that only the code differs.
        using var bare = ChildProcess.Start(typeof(IngestBench).Assembly.Location,
            ["bare-ingest", "--port", barePort.ToString(CultureInfo.InvariantCulture), "--secret", secret, .. store], new Dictionary<string, string> { ["DOTNET_gcServer"] = "1" });
        using var probe = new HttpClient();
        await Probes.WaitAsync(() => probe.GetAsync($"http://127.0.0.1:{barePort}/count"));
        var bareUrl = $"http://127.0.0.1:{barePort}/ingest";

        Console.WriteLine($"ingest on {(postgres is null ? "SQLite (WAL, synchronous=FULL)" : "PostgreSQL")}, load average at start {loadBefore}: warm-up…");
        // Long enough at full load for both to reach their optimised code (tiered compilation) and steady batch sizes.
        var warmup = Args.GetInt(args, "--warmup", 5);
        Wrk.Run(url, null, connections, warmup, WriteScript(secret));
        Wrk.Run(bareUrl, null, connections, warmup, WriteScript(secret));
        var before = await CountAsync(stack);
        var bareBefore = await BareCountAsync(probe, barePort);
        (string Name, string Url, ChildProcess Process)[] targets = [("AdoBridge", url, stack.AdoBridge), ("bare ingest", bareUrl, bare)];
        var totals = new (long Requests, long Succeeded, TimeSpan Cpu, TimeSpan Kernel, List<WrkResult> Runs)[2];
        for (var t = 0; t < 2; t++)
        {
            totals[t].Runs = [];
        }

        var ratios = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            var rps = new double[2];
            foreach (var t in r % 2 == 0 ? new[] { 0, 1 } : [1, 0])
            {
                var cpuBefore = targets[t].Process.CpuTime;
                var kernelBefore = targets[t].Process.KernelTime;
                var result = Wrk.Run(targets[t].Url, null, connections, seconds, WriteScript(secret));
                totals[t].Cpu += targets[t].Process.CpuTime - cpuBefore;
                totals[t].Kernel += targets[t].Process.KernelTime - kernelBefore;
                totals[t].Requests += result.Requests;
                totals[t].Succeeded += result.Succeeded;
                totals[t].Runs.Add(result);
                rps[t] = result.Succeeded / (double)seconds;
                Console.WriteLine($"  round {r + 1} {targets[t].Name,-12} {rps[t],7:F0} events/s acknowledged  p50 {result.P50,7:F2} ms  p99 {result.P99,7:F2} ms  other {result.Non2xx}, socket errors {result.SocketErrors}");
            }

            ratios.Add(rps[0] / rps[1]);
        }

        var stored = await CountAsync(stack) - before;
        var bareStored = await BareCountAsync(probe, barePort) - bareBefore;
        var loadAfter = ProxyBench.LoadAverage();
        Console.WriteLine();
        Console.WriteLine($"summary ({rounds} rounds of {seconds} s each, wrk -t2 -c{connections}, interleaved; load average {loadBefore} at start, {loadAfter} at end, {Environment.ProcessorCount} cores)");
        for (var t = 0; t < 2; t++)
        {
            var (requests, succeeded, cpu, kernel, runs) = totals[t];
            Console.WriteLine($"  {targets[t].Name,-12} {succeeded / (double)(seconds * rounds),7:F0} events/s (rounds {string.Join(", ", runs.Select(x => (x.Succeeded / (double)seconds).ToString("F0", CultureInfo.InvariantCulture)))}), " +
                $"median p99 {Median(runs.Select(x => x.P99)):F1} ms, CPU {cpu.TotalMilliseconds * 1000 / Math.Max(1, requests):F0} µs per event ({kernel.TotalMilliseconds * 1000 / Math.Max(1, requests):F0} µs in the kernel), " +
                $"peak RSS {targets[t].Process.Memory().PeakMiB:F0} MiB");
        }

        var ratio = totals[0].Succeeded / (double)totals[1].Succeeded;
        Console.WriteLine($"  AdoBridge / bare ingest: {ratio:F2} over the run (rounds {string.Join(", ", ratios.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))}) [target >= 0.6: {(ratio >= 0.6 ? "met" : "NOT met")}]");
        Console.WriteLine($"  stored after the run: AdoBridge {stored} (acknowledged {totals[0].Succeeded}), bare {bareStored} (acknowledged {totals[1].Succeeded})");
        if (args.Contains("--telemetry"))
        {
            Console.WriteLine("  telemetry on: " + TelemetrySink.Summary);
        }

        var lost = stored < totals[0].Succeeded || bareStored < totals[1].Succeeded;
        if (lost)
        {
            Console.WriteLine("  ← MISSING EVENTS: fewer stored than acknowledged");
        }

        return lost ? 1 : 0;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static async Task<long> BareCountAsync(HttpClient client, int port)
        => long.Parse(await client.GetStringAsync($"http://127.0.0.1:{port}/count"), CultureInfo.InvariantCulture);

    /// <summary>Creates a subscription as a product would and reads back the ingest URL and secret Azure DevOps was given.</summary>
    public static async Task<(string Url, string Secret)> SubscribeAsync(BenchStack stack, string eventType)
    {
        var response = await stack.Api.PostAsJsonAsync($"v1/connections/{stack.ConnectionId}/subscriptions",
            new { organization = "fabrikam", project = "Fabrikam-Fiber-Git", events = new[] { eventType } });
        var subscription = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException("Could not subscribe: " + subscription);
        }

        // Azure DevOps shows the secret to nobody once stored (basicAuthPassword is confidential): read it from the emulator's store.
        var azureId = subscription.GetProperty("hooks")[0].GetProperty("azureSubscriptionId").GetString();
        var inputs = await stack.Admin.GetFromJsonAsync<JsonElement>($"hooks/subscriptions/{azureId}/consumer-inputs");
        projectId = subscription.GetProperty("project").GetProperty("id").GetString()!;
        return (inputs.GetProperty("url").GetString()!, inputs.GetProperty("basicAuthPassword").GetString()!);
    }

    // The sandbox's seeded project, whose id ingest checks each payload against (the same in every emulator).
    private static string projectId = string.Empty;

    /// <summary>Microsoft's pull-request sample, re-targeted to the sandbox organisation and project, with placeholders for the event id and title.</summary>
    public static string Template()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", "git.pullrequest.created.json")))!.AsObject();
        json["resourceContainers"]!["collection"]!["id"] = AdoBridge.Emulator.EmulatorDefaults.OrganizationId;
        json["resourceContainers"]!["account"]!["id"] = AdoBridge.Emulator.EmulatorDefaults.OrganizationId;
        json["resourceContainers"]!["project"]!["id"] = projectId;
        json["resource"]!["repository"]!["project"]!["id"] = projectId;
        json["id"] = "__ID__";
        json["resource"]!["title"] = "bench __ID__";
        return json.ToJsonString();
    }

    private static string WriteScript(string secret)
    {
        var dir = Directory.CreateTempSubdirectory("adobridge-ingest-wrk-").FullName;
        var body = Path.Combine(dir, "body.json");
        File.WriteAllText(body, Template());
        var run = Guid.NewGuid().ToString("N")[..8];
        var script = Path.Combine(dir, "ingest.lua");
        // Each wrk thread has its own Lua state: the thread number and a nonce per script (one script per wrk run) keep
        // event ids unique, so every 200 is a new event committed rather than a duplicate skipped.
        File.WriteAllText(script, $$"""
            local counter = 0
            local threads = 0
            local file = io.open("{{body}}", "r")
            local template = file:read("*a")
            file:close()
            function setup(thread)
              threads = threads + 1
              thread:set("tid", threads)
            end
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            wrk.headers["X-AdoBridge-Hook-Secret"] = "{{secret}}"
            function request()
              counter = counter + 1
              local body = template:gsub("__ID__", string.format("{{run}}-%d-%d", tid, counter))
              return wrk.format(nil, nil, nil, body)
            end
            """);
        return script;
    }

    /// <summary>Stored pull_request.created events, counted through the event log API.</summary>
    public static async Task<long> CountAsync(BenchStack stack)
    {
        long count = 0;
        string? cursor = null;
        do
        {
            var page = await stack.Api.GetFromJsonAsync<JsonElement>($"v1/events?type=pull_request.created&limit=500{(cursor is null ? string.Empty : "&cursor=" + cursor)}");
            count += page.GetProperty("items").GetArrayLength();
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return count;
    }
}
