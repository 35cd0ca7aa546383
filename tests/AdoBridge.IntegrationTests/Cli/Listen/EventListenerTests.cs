using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using AdoBridge.Cli.Listen;
using AdoBridge.Client;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Webhooks;
using AdoBridge.IntegrationTests.Webhooks.Streaming;

namespace AdoBridge.IntegrationTests.Cli.Listen;

/// <summary>The listener behind `adobridge listen`: forwards the stream to a local app, signed, and keeps its place across restarts.</summary>
public sealed class EventListenerTests
{
    [Fact]
    public async Task TriggeredPullRequest_IsForwardedSigned_WithTheListenersSecret()
    {
        await using var server = await AdoBridgeServer.StartAsync();
        await using var receiver = await ProductReceiver.StartAsync();
        await using var listener = Listener.Start(server.BaseUrl, receiver.Url("hooks"), ["pull_request.*"], Path.Combine(server.DataDir, "listen.json"));
        await listener.Connected.WaitAsync(TimeSpan.FromSeconds(15));

        using var http = server.Client();
        var trigger = await new AdoBridgeClient(http).TriggerSandboxEventAsync("pull_request.created");

        var receipt = await receiver.NextAsync("hooks", r => r.WebhookId == trigger.EventId, TimeSpan.FromSeconds(15));
        receipt.ShouldVerifyWith(listener.Options.Secret);
        listener.Options.Secret.ShouldStartWith("whsec_");
        receipt.Json.GetProperty("type").GetString().ShouldBe("pull_request.created");
        receipt.Json.GetProperty("azureDevOpsEventId").GetString().ShouldBe(trigger.AzureDevOpsEventId);
        receipt.Json.GetProperty("data").ToString().ShouldContain(trigger.Resource["pullRequestId"].ToString());
        var reported = await listener.ReportedAsync(r => r.EventId == trigger.EventId);
        (reported.StatusCode, reported.IsReplay, reported.Succeeded).ShouldBe((200, false, true));
        receiver.On("hooks").ShouldAllBe(r => r.Json.GetProperty("type").GetString()!.StartsWith("pull_request.", StringComparison.Ordinal));

        // A replay asked for elsewhere reaches the running listener, with the same webhook-id.
        (await http.PostAsync($"/v1/events/{trigger.EventId}/replay", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await listener.ReportedAsync(r => r.EventId == trigger.EventId && r.IsReplay)).StatusCode.ShouldBe(200);
        (await receiver.WaitAsync("hooks", r => r.Count(x => x.WebhookId == trigger.EventId) == 2)).Count.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task ServerRestartMidStream_EveryEventArrivesExactlyOnce_InOrder()
    {
        var dataDir = AdoBridgeServer.NewDataDir();
        var port = FreePort();
        var settings = new Dictionary<string, string?> { ["urls"] = $"http://127.0.0.1:{port}" };
        var server = await AdoBridgeServer.StartAsync(settings, dataDir);
        await using var receiver = await ProductReceiver.StartAsync();
        var stateFile = Path.Combine(dataDir, "listen-state.json");
        var listener = Listener.Start(server.BaseUrl, receiver.Url("hooks"), null, stateFile);
        var expected = new List<string>();
        try
        {
            await listener.Connected.WaitAsync(TimeSpan.FromSeconds(15));
            expected.AddRange(await server.AddManyAsync(5));
            await receiver.WaitAsync("hooks", r => r.Count >= 5, TimeSpan.FromSeconds(15));

            // Five more, and the server goes down at once: some of them the listener has not read yet.
            expected.AddRange(await server.AddManyAsync(5));
            await server.DisposeAsync();
            server = await AdoBridgeServer.StartAsync(settings, dataDir);
            await listener.Reconnected.WaitAsync(TimeSpan.FromSeconds(30));
            expected.AddRange(await server.AddManyAsync(5));
            using var http = server.Client();
            var trigger = await new AdoBridgeClient(http).TriggerSandboxEventAsync("pull_request.created");
            expected.AddRange((await new AdoBridgeClient(http).Events.ListAsync(new EventQuery { Cursor = expected[^1] })).Items.Select(e => e.Id));
            expected.ShouldContain(trigger.EventId!);

            var sentinel = await server.AddAsync("connection.deleted");
            expected.Add(sentinel);
            await receiver.NextAsync("hooks", r => r.WebhookId == sentinel, TimeSpan.FromSeconds(30));
            receiver.On("hooks").Select(r => r.WebhookId).ShouldBe(expected);
            listener.Disconnections.ShouldBeGreaterThan(0);
        }
        finally
        {
            await listener.DisposeAsync();
            await server.DisposeAsync();
        }

        // A new run resumes after the last event forwarded, too: it forwards only what came after.
        server = await AdoBridgeServer.StartAsync(settings, dataDir);
        await using (server)
        {
            var late = await server.AddAsync("connection.created");
            await using var again = Listener.Start(server.BaseUrl, receiver.Url("hooks"), null, stateFile);
            await receiver.NextAsync("hooks", r => r.WebhookId == late, TimeSpan.FromSeconds(15));
            receiver.On("hooks").Select(r => r.WebhookId).ShouldBe([.. expected, late]);
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    /// <summary>An <see cref="EventListener"/> running in the background, recording what it reports.</summary>
    private sealed class Listener : IAsyncDisposable, IProgress<ForwardResult>
    {
        private readonly CancellationTokenSource stop = new();
        private readonly ConcurrentQueue<ForwardResult> reports = new();
        private readonly TaskCompletionSource connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource reconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Task run = Task.CompletedTask;
        private int connections;
        private int disconnections;

        public required ListenOptions Options { get; init; }
        public Task Connected => connected.Task;
        public Task Reconnected => reconnected.Task;
        public int Disconnections => disconnections;

        public static Listener Start(Uri server, Uri forwardTo, IReadOnlyList<string>? events, string stateFile)
        {
            Listener? self = null;
            var options = new ListenOptions
            {
                BaseUrl = server,
                ApiKey = AdoBridgeServer.BootstrapKey,
                ForwardTo = forwardTo,
                Events = events,
                StateFile = stateFile,
                Connected = _ =>
                {
                    if (Interlocked.Increment(ref self!.connections) == 1)
                    {
                        self.connected.TrySetResult();
                    }
                    else
                    {
                        self.reconnected.TrySetResult();
                    }
                },
                Disconnected = _ => Interlocked.Increment(ref self!.disconnections),
            };
            self = new Listener { Options = options };
            self.run = Task.Run(() => EventListener.RunAsync(options, self, self.stop.Token));
            return self;
        }

        public void Report(ForwardResult value) => reports.Enqueue(value);

        public async Task<ForwardResult> ReportedAsync(Func<ForwardResult, bool> match)
        {
            for (var i = 0; i < 300; i++)
            {
                if (reports.FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                if (run.IsFaulted)
                {
                    await run;
                }

                await Task.Delay(50);
            }

            throw new TimeoutException("The listener reported no such event; it reported: " + string.Join(", ", reports.Select(r => $"{r.EventId} {r.StatusCode}")));
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await run;
            stop.Dispose();
        }
    }
}
