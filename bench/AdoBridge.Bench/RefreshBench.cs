using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.Operations;
using AdoBridge.Security;
using AdoBridge.Storage;
using AdoBridge.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AdoBridge.Bench;

/// <summary>
/// Issue 3's refresh benchmark: N connections whose access tokens all expire within the same 10 minutes, all due at once
/// (refresh margin wider than the window), refreshed by an AdoBridge process against an emulator process. Reports the
/// time to refresh all, token requests per second, peak memory of the AdoBridge process, and keyset paging latency.
/// </summary>
internal static class RefreshBench
{
    private const string AdminToken = "bench-emulator-admin-token";
    private const string ApiKey = "adbk_benchmarkkey_0123456789abcdefghijklmnopqrstuvwxyzABCDE";

    public static async Task<int> RunAsync(string[] args)
    {
        var count = Args.GetInt(args, "--connections", 100_000);
        var postgres = Args.Get(args, "--postgres");
        var self = typeof(RefreshBench).Assembly.Location;
        var server = Path.Combine(AppContext.BaseDirectory, "adobridge.dll");
        var dataDir = Directory.CreateTempSubdirectory("adobridge-bench-").FullName;
        var masterKey = Convert.ToBase64String(Enumerable.Range(40, 32).Select(i => (byte)i).ToArray());
        var emulatorPort = Probes.FreePort();
        var serverPort = Probes.FreePort();
        var emulatorUrl = $"http://127.0.0.1:{emulatorPort}/";
        var environment = new Dictionary<string, string>
        {
            ["ADOBRIDGE_DATA_DIR"] = dataDir,
            ["ADOBRIDGE_MASTER_KEY"] = masterKey,
            ["ADOBRIDGE_BOOTSTRAP_API_KEY"] = ApiKey,
            ["AdoBridge__Sandbox"] = "on",
            ["AdoBridge__EmulatorUrl"] = emulatorUrl,
            ["AdoBridge__EmulatorAdminToken"] = AdminToken,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Tokens__RefreshMargin"] = "00:16:00",
            ["Tokens__RefresherInterval"] = "00:00:01",
        };
        foreach (var setting in (Args.Get(args, "--set") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = setting.Split('=', 2);
            environment[parts[0]] = parts[1];
        }

        if (postgres is not null)
        {
            environment["Storage__Provider"] = "postgres";
            environment["Storage__ConnectionString"] = postgres;
        }

        using var emulator = ChildProcess.Start(self, ["emulator", "--port", emulatorPort.ToString(), "--admin-token", AdminToken], new Dictionary<string, string>());
        using var admin = new HttpClient { BaseAddress = new Uri(emulatorUrl + "_admin/") };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        await Probes.WaitAsync(() => admin.GetAsync("state"));

        // First start: AdoBridge creates its schema and registers the sandbox app in the emulator. Then stop it to seed.
        var serverArgs = new[] { "--urls", $"http://127.0.0.1:{serverPort}" };
        using (var setup = ChildProcess.Start(server, serverArgs, environment))
        {
            using var probe = new HttpClient();
            await Probes.WaitAsync(() => probe.GetAsync($"http://127.0.0.1:{serverPort}/readyz"));
        }

        // Burst (default): every token is due at once, which measures capacity. --schedule keeps the real schedule: each
        // connection falls due 5 minutes before its token expires, so the run lasts the whole 10-minute window.
        var burst = !args.Contains("--schedule");
        if (!burst)
        {
            environment["Tokens__RefreshMargin"] = "00:05:00";
        }

        var seeded = await SeedAsync(count, dataDir, masterKey, postgres, admin, burst);
        Console.WriteLine($"seeded {count} connections in {seeded.SeedTime.TotalSeconds:F1} s; earliest expiry in {(seeded.EarliestExpiry - DateTimeOffset.UtcNow).TotalMinutes:F1} min");
        await admin.PostAsync("counts/reset", null);

        var started = Stopwatch.StartNew();
        using var adobridge = ChildProcess.Start(server, serverArgs, environment);
        using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{serverPort}/") };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        await Probes.WaitAsync(() => api.GetAsync("readyz"));
        var ready = started.Elapsed;

        int refreshed;
        await using var probeApp = AdoBridgeApp.Build(BuildArgs(dataDir, null, postgres), null);
        var probeContexts = probeApp.Services.GetRequiredService<IDbContextFactory<AdoBridgeDbContext>>();
        do
        {
            await Task.Delay(1000);
            refreshed = await CountRefreshedAsync(probeContexts, seeded.Cutoff);
            Console.WriteLine($"  {started.Elapsed.TotalSeconds,6:F1} s: {refreshed} refreshed, RSS {adobridge.Memory().CurrentMiB:F0} MiB");
        }
        while (refreshed < count && started.Elapsed < TimeSpan.FromMinutes(20));

        var elapsed = started.Elapsed;
        var finishedAt = DateTimeOffset.UtcNow;
        var memory = adobridge.Memory();
        var cpu = adobridge.CpuTime;
        var counts = await admin.GetFromJsonAsync<JsonElement>("counts");
        var tokenRequests = counts.GetProperty("tokenRequestsByGrantType").TryGetProperty("refresh_token", out var n) ? n.GetInt32() : 0;

        var paging = await MeasurePagingAsync(api, count);

        Console.WriteLine();
        Console.WriteLine($"connections:                {count}  ({(postgres is null ? "SQLite" : "PostgreSQL")}, {(burst ? "all due at once" : "due on their schedule over 10 minutes")})");
        Console.WriteLine($"refreshed:                  {refreshed} in {elapsed.TotalSeconds:F1} s from process start ({ready.TotalSeconds:F1} s of that to ready)");
        Console.WriteLine($"token requests at emulator: {tokenRequests} ({tokenRequests / (elapsed - ready).TotalSeconds:F0} per second)");
        Console.WriteLine($"all before expiry:          {(finishedAt < seeded.EarliestExpiry ? "yes" : "NO")} (last refresh {(seeded.EarliestExpiry - finishedAt).TotalMinutes:F1} min before the earliest expiry)");
        Console.WriteLine($"AdoBridge peak RSS:         {memory.PeakMiB:F0} MiB (now {memory.CurrentMiB:F0} MiB); CPU {cpu.TotalSeconds:F1} s ({cpu.TotalMilliseconds / Math.Max(1, tokenRequests):F2} ms per refresh)");
        Console.WriteLine($"keyset paging (limit 500):  first page {paging.First:F1} ms, middle {paging.Middle:F1} ms, last page {paging.Last:F1} ms (median of 5); {paging.Pages} pages walked in {paging.Walk.TotalSeconds:F1} s");
        return refreshed == count && tokenRequests == count && finishedAt < seeded.EarliestExpiry ? 0 : 1;
    }

    private sealed record Seeded(TimeSpan SeedTime, DateTimeOffset EarliestExpiry, DateTimeOffset Cutoff);

    private static async Task<Seeded> SeedAsync(int count, string dataDir, string masterKey, string? postgres, HttpClient admin, bool burst)
    {
        var timer = Stopwatch.StartNew();
        await using var app = AdoBridgeApp.Build(BuildArgs(dataDir, masterKey, postgres), null);
        var protector = app.Services.GetRequiredService<SecretProtector>();
        await protector.InitializeAsync();
        var contexts = app.Services.GetRequiredService<IDbContextFactory<AdoBridgeDbContext>>();
        string clientId;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            var settings = (await db.Apps.SingleAsync(a => a.Name == "sandbox")).Settings;
            clientId = JsonDocument.Parse(settings).RootElement.GetProperty("clientId").GetString()!;
        }

        var grant = await admin.PostAsJsonAsync("bulk/refresh-tokens", new { clientId, userPrincipalName = "alice@fabrikam.onmicrosoft.com", count });
        grant.EnsureSuccessStatusCode();
        var refreshTokens = (await grant.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("refreshTokens").EnumerateArray().Select(t => t.GetString()!).ToList();

        var now = DateTimeOffset.UtcNow;
        var earliest = now.AddMinutes(5);
        var clock = TimeProvider.System;
        for (var start = 0; start < count; start += 5000)
        {
            await using var db = await contexts.CreateDbContextAsync();
            for (var i = start; i < Math.Min(count, start + 5000); i++)
            {
                var id = Ids.New("conn", clock);
                var expires = earliest.AddSeconds(600.0 * i / count); // all within the same 10 minutes
                db.Connections.Add(new ConnectionEntity
                {
                    Id = id,
                    EnvironmentId = "sandbox",
                    EndUserId = $"bench-user-{i}",
                    AppName = "sandbox",
                    AuthType = AuthTypes.Entra,
                    Status = ConnectionStatus.Active,
                    Organizations = "[\"fabrikam\"]",
                    AccessToken = protector.Protect("expiring-access-token", TokenVault.AccessTokenPurpose(id)),
                    AccessTokenExpiresAt = expires,
                    RefreshToken = protector.Protect(refreshTokens[i], TokenVault.RefreshTokenPurpose(id)),
                    NextRefreshAt = burst ? now : expires - TimeSpan.FromMinutes(5),
                    LastRefreshedAt = now.AddMinutes(-55),
                    CreatedAt = now,
                    UpdatedAt = now,
                });
            }

            await db.SaveChangesAsync();
        }

        return new Seeded(timer.Elapsed, earliest, now);
    }

    private static async Task<int> CountRefreshedAsync(IDbContextFactory<AdoBridgeDbContext> contexts, DateTimeOffset cutoff)
    {
        await using var db = await contexts.CreateDbContextAsync();
        return await db.Connections.CountAsync(c => c.LastRefreshedAt > cutoff && c.Status == ConnectionStatus.Active);
    }

    private static async Task<(double First, double Middle, double Last, int Pages, TimeSpan Walk)> MeasurePagingAsync(HttpClient api, int count)
    {
        var walk = Stopwatch.StartNew();
        var cursors = new List<string?> { null };
        string? cursor = null;
        do
        {
            var page = await api.GetFromJsonAsync<JsonElement>($"v1/connections?limit=500{(cursor is null ? string.Empty : "&cursor=" + cursor)}");
            cursor = page.GetProperty("nextCursor").GetString();
            if (cursor is not null)
            {
                cursors.Add(cursor);
            }
        }
        while (cursor is not null);

        walk.Stop();
        async Task<double> TimeAsync(string? c)
        {
            var samples = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var sw = Stopwatch.StartNew();
                (await api.GetAsync($"v1/connections?limit=500{(c is null ? string.Empty : "&cursor=" + c)}")).EnsureSuccessStatusCode();
                samples.Add(sw.Elapsed.TotalMilliseconds);
            }

            samples.Sort();
            return samples[2];
        }

        return (await TimeAsync(cursors[0]), await TimeAsync(cursors[cursors.Count / 2]), await TimeAsync(cursors[^1]), cursors.Count, walk.Elapsed);
    }

    private static string[] BuildArgs(string dataDir, string? masterKey, string? postgres)
    {
        var list = new List<string> { $"--ADOBRIDGE_DATA_DIR={dataDir}", "--Logging:LogLevel:Default=Warning" };
        if (masterKey is not null)
        {
            list.Add($"--ADOBRIDGE_MASTER_KEY={masterKey}");
        }

        if (postgres is not null)
        {
            list.Add("--Storage:Provider=postgres");
            list.Add($"--Storage:ConnectionString={postgres}");
        }

        return [.. list];
    }
}
