using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AdoBridge.IntegrationTests.Webhooks.Delivery;

/// <summary>
/// Nothing lost: 5,000 pull-request events are posted to ingest as Azure DevOps would (retrying what got no 200), the
/// AdoBridge process is killed with SIGKILL mid-burst and started again, and every event that got a 200 reaches the
/// product at least once, each duplicate with the same webhook-id. Then the same with the product's endpoint down for a while.
/// </summary>
public sealed class NothingLostTests
{
    private const int Events = 5000;

    private static Dictionary<string, string> Settings(Dictionary<string, string?> storage)
    {
        var settings = storage.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!);
        settings["AdoBridge__ServiceHooks__HealthCheckInterval"] = "00:00:00";
        // Short retries, leases and circuit so the test sees recovery in seconds rather than the production minutes.
        for (var i = 0; i < 20; i++)
        {
            settings[$"AdoBridge__Webhooks__RetrySchedule__{i}"] = "00:00:01";
        }

        settings["AdoBridge__Webhooks__Timeout"] = "00:00:05";
        settings["AdoBridge__Webhooks__LeaseMargin"] = "00:00:01";
        settings["AdoBridge__Webhooks__CircuitBreakerOpenDuration"] = "00:00:01";
        settings["AdoBridge__Webhooks__CircuitBreakerMaxOpenDuration"] = "00:00:02";
        return settings;
    }

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task KilledMidBurst_EveryAcknowledgedEventIsDelivered(string engine)
    {
        await using var receiver = await Receiver.StartAsync();
        using var server = new ChildServer(Settings(await StorageEngine.SettingsAsync(engine)));
        await server.StartAsync();
        var (url, secret, projectId) = await SetUpAsync(server, receiver);
        var acknowledged = new ConcurrentDictionary<int, bool>();
        var failedSends = new StrongBox<int>();
        var killed = new TaskCompletionSource();

        // A slow product until the kill, so deliveries lag behind ingest and the kill catches acknowledged events in the backlog.
        receiver.Delay = TimeSpan.FromMilliseconds(50);
        var burst = SendAllAsync(url, secret, projectId, "kill", acknowledged, onAck: count =>
        {
            if (count == Events / 3)
            {
                killed.TrySetResult();
            }
        }, failedSends: failedSends);
        await killed.Task.WaitAsync(TimeSpan.FromSeconds(120));
        var failedBeforeKill = Volatile.Read(ref failedSends.Value);
        var oldProcess = server.Kill();
        var acknowledgedAtKill = acknowledged.Keys.ToList();
        var deliveredAtKill = receiver.Titles();
        var failedWhileDead = await WaitForFailedSendAsync(failedSends, failedBeforeKill) - failedBeforeKill;

        // The kill interrupted real work: ingest requests failed, and events that had their 200 had not reached the product yet.
        acknowledgedAtKill.Count.ShouldBeGreaterThanOrEqualTo(Events / 3);
        failedWhileDead.ShouldBeGreaterThan(0, "no ingest request failed while the process was dead");
        var undelivered = acknowledgedAtKill.Where(i => !deliveredAtKill.Contains($"kill {i}")).ToList();
        undelivered.ShouldNotBeEmpty("every acknowledged event had already been delivered when the process died, so the kill proved nothing");

        // The readiness check after the restart must reach the new process, not a dying old one.
        ChildServer.IsGone(oldProcess).ShouldBeTrue();
        receiver.Delay = TimeSpan.Zero;
        await server.StartAsync();
        server.ProcessId.ShouldNotBe(oldProcess);
        await burst.WaitAsync(TimeSpan.FromSeconds(180));

        acknowledged.Count.ShouldBe(Events);
        await receiver.ShouldReceiveAllAsync("kill", Enumerable.Range(0, Events), TimeSpan.FromSeconds(180));
    }

    /// <summary>The number of failed ingest requests, once more than <paramref name="before"/> have failed (the senders retry every 50 ms).</summary>
    private static async Task<int> WaitForFailedSendAsync(StrongBox<int> failedSends, int before)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Volatile.Read(ref failedSends.Value) <= before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return Volatile.Read(ref failedSends.Value);
    }

    [Fact]
    public async Task EndpointDownForAWhile_EveryEventArrivesOnceItIsBack()
    {
        await using var receiver = await Receiver.StartAsync();
        using var server = new ChildServer(Settings(await StorageEngine.SettingsAsync(StorageEngine.Sqlite)));
        await server.StartAsync();
        var (url, secret, projectId) = await SetUpAsync(server, receiver);
        receiver.Down = true;
        var acknowledged = new ConcurrentDictionary<int, bool>();

        await SendAllAsync(url, secret, projectId, "down", acknowledged, onAck: _ => { }, count: 1000).WaitAsync(TimeSpan.FromSeconds(120));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var refusedWhileDown = receiver.Refused;
        receiver.Down = false;

        refusedWhileDown.ShouldBeGreaterThan(0);
        await receiver.ShouldReceiveAllAsync("down", Enumerable.Range(0, 1000), TimeSpan.FromSeconds(120));
    }

    /// <summary>A PAT connection, an endpoint at the receiver for pull-request events, and a subscription's ingest URL and secret.</summary>
    private static async Task<(string Url, string Secret, string ProjectId)> SetUpAsync(ChildServer server, Receiver receiver)
    {
        using var api = server.Client();
        var pat = (await (await api.GetAsync("/v1/sandbox")).ShouldBeJsonAsync()).GetProperty("pat").GetString();
        var connection = await (await api.PostAsJsonAsync("/v1/connections", new { type = "pat", endUserId = "nothing-lost", organization = "fabrikam", pat })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = connection.GetProperty("id").GetString();
        (await api.PostAsJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url, events = new[] { "pull_request.*" } })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var subscription = await (await api.PostAsJsonAsync($"/v1/connections/{id}/subscriptions",
            new { organization = "fabrikam", project = "Fabrikam-Fiber-Git", events = new[] { "git.pullrequest.created" } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var (url, secret) = await SandboxPayloads.IngestOfAsync(api, subscription.GetProperty("hooks")[0].GetProperty("azureSubscriptionId").GetString()!);
        return (url, secret, ServiceHooksFixture.ProjectIdOf(subscription));
    }

    /// <summary>Posts events 0..count-1 from 16 senders; like Azure DevOps, a sender retries an event until it gets a 200.</summary>
    private static async Task SendAllAsync(string url, string secret, string projectId, string run, ConcurrentDictionary<int, bool> acknowledged, Action<int> onAck, int count = Events,
        StrongBox<int>? failedSends = null)
    {
        failedSends ??= new StrongBox<int>();
        var sample = SandboxPayloads.Retarget(SandboxPayloads.Sample("git.pullrequest.created.json"), projectId, "__ID__");
        sample["resource"]!["title"] = "__TITLE__";
        var template = sample.ToJsonString();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var text = template.Replace("__ID__", $"{run}-{i}-{Guid.NewGuid()}", StringComparison.Ordinal).Replace("__TITLE__", $"{run} {i}", StringComparison.Ordinal);
                while (true)
                {
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(text, Encoding.UTF8, "application/json") };
                        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("adobridge:" + secret)));
                        using var response = await http.SendAsync(request);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            acknowledged[i] = true;
                            onAck(acknowledged.Count);
                            break;
                        }

                        Interlocked.Increment(ref failedSends.Value);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        // The process is down or restarting: Azure DevOps would retry this notification, and so do we.
                        Interlocked.Increment(ref failedSends.Value);
                    }

                    await Task.Delay(50);
                }
            }
        }));
    }

    /// <summary>The product's webhook endpoint: records each delivery's webhook-id by the pull request's title.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication app;
        private readonly ConcurrentDictionary<string, ConcurrentBag<string>> received = new(StringComparer.Ordinal);
        private int refused;

        private Receiver(WebApplication app) => this.app = app;

        public string Url => app.Urls.First() + "/hook";

        public volatile bool Down;

        /// <summary>How long the product takes to answer each delivery.</summary>
        public TimeSpan Delay;

        /// <summary>The titles received so far.</summary>
        public HashSet<string> Titles() => [.. received.Keys];

        public int Refused => refused;

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.MapPost("/hook", async (HttpContext http) =>
            {
                if (receiver.Down)
                {
                    Interlocked.Increment(ref receiver.refused);
                    return Results.StatusCode(503);
                }

                if (receiver.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(receiver.Delay);
                }

                using var body = await JsonDocument.ParseAsync(http.Request.Body);
                var title = body.RootElement.GetProperty("data").GetProperty("pullRequest").GetProperty("title").GetString()!;
                receiver.received.GetOrAdd(title, _ => []).Add(http.Request.Headers["webhook-id"].ToString());
                return Results.Ok();
            });
            await app.StartAsync();
            return receiver;
        }

        public async Task ShouldReceiveAllAsync(string run, IEnumerable<int> events, TimeSpan timeout)
        {
            var expected = events.Select(i => $"{run} {i}").ToList();
            var deadline = DateTime.UtcNow + timeout;
            while (expected.Any(t => !received.ContainsKey(t)) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }

            var missing = expected.Where(t => !received.ContainsKey(t)).ToList();
            missing.ShouldBeEmpty($"{missing.Count} acknowledged events never reached the endpoint, e.g. {string.Join(", ", missing.Take(5))}");
            foreach (var title in expected)
            {
                received[title].Distinct().Count().ShouldBe(1, $"every delivery of '{title}' carries the same webhook-id");
            }
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
