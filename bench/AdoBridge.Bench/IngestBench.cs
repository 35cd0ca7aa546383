using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdoBridge.Bench;

/// <summary>
/// Issue 5's ingest benchmark. Throughput: wrk posts Microsoft's 4.5 KB pull-request sample (a fresh event id per
/// request, so every one is a durable insert, not a duplicate) to a real subscription's ingest URL at saturation;
/// every 200 means the event was committed. Then the stored count is checked against the 200s.
/// </summary>
internal static class IngestBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Args.GetInt(args, "--seconds", 10);
        var connections = Args.GetInt(args, "--connections", 64);
        var postgres = Args.Get(args, "--postgres");
        var settings = Args.Server(args);

        using var stack = await BenchStack.StartAsync("ingestbench", settings);
        var (url, secret) = await SubscribeAsync(stack, "git.pullrequest.created");
        Console.WriteLine($"ingest on {(postgres is null ? "SQLite (WAL, synchronous=FULL)" : "PostgreSQL")}: warm-up…");
        Wrk.Run(url, null, 8, 2, WriteScript(secret));
        var before = await CountAsync(stack);
        var cpuBefore = stack.AdoBridge.CpuTime;
        var kernelBefore = stack.AdoBridge.KernelTime;
        var result = Wrk.Run(url, null, connections, seconds, WriteScript(secret));
        var cpu = stack.AdoBridge.CpuTime - cpuBefore;
        var kernel = stack.AdoBridge.KernelTime - kernelBefore;
        var stored = await CountAsync(stack) - before;
        Console.WriteLine($"  wrk -t2 -c{connections} -d{seconds}s: {result.Requests} requests, {result.Succeeded} answered 200, {result.Non2xx} other, {result.SocketErrors} socket errors");
        Console.WriteLine($"  acknowledged (each committed before its 200): {result.Succeeded / (double)seconds:F0} events/s   p50 {result.P50:F2} ms  p99 {result.P99:F2} ms");
        Console.WriteLine($"  stored events after the run: {stored} (acknowledged {result.Succeeded}){(stored >= result.Succeeded ? string.Empty : "  ← MISSING EVENTS")}");
        Console.WriteLine($"  AdoBridge CPU {cpu.TotalMilliseconds * 1000 / Math.Max(1, result.Requests):F0} µs per event ({kernel.TotalMilliseconds * 1000 / Math.Max(1, result.Requests):F0} µs of it in the kernel), peak RSS {stack.AdoBridge.Memory().PeakMiB:F0} MiB");
        if (args.Contains("--telemetry"))
        {
            Console.WriteLine("  telemetry on: " + TelemetrySink.Summary);
        }

        return stored >= result.Succeeded ? 0 : 1;
    }

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
