using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AdoBridge.IntegrationTests.Proxy;

/// <summary>
/// What YARP's forwarder brings to the proxy, over real sockets to a misbehaving upstream (<see cref="MisbehavingServer"/>):
/// a body broken off mid-stream reaches the caller as broken, a caller that leaves is not an error and the upstream call is
/// cancelled, `Expect: 100-continue` is honoured end to end, and an unreachable or silent Azure DevOps gives problem details.
/// </summary>
public sealed class ProxyForwardingFailureTests(MisbehavingFixture fixture) : IClassFixture<MisbehavingFixture>
{
    private ConcurrentQueue<(LogLevel Level, string Category, string Message)> logs => fixture.Logs;

    private MisbehavingServer upstream => fixture.Upstream;

    private AdoBridgeServer server => fixture.Server;

    private string connectionId => fixture.ConnectionId;

    private Task<string> CreateServerConnectionAsync(string endUserId) => fixture.CreateServerConnectionAsync(endUserId);

    private string Url(string rest, string? connection = null) => $"/v1/proxy/{connection ?? connectionId}/~server/{rest}";

    [Fact]
    public async Task Get_ThroughTheServerCollection_Works()
    {
        using var api = server.Client();

        var projects = await (await api.GetAsync(Url("_apis/projects?api-version=7.1"))).ShouldBeJsonAsync();

        projects.GetProperty("value").GetArrayLength().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task UpstreamBreaksOffMidBody_CallerSeesABrokenResponse_NotACompleteShortOne()
    {
        using var api = server.Client();
        using var response = await api.GetAsync(Url("_misbehave/reset"), HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);

        // A proxy that ended its own response cleanly here would hand the caller 64 KiB as if that were the whole file.
        var read = await Should.ThrowAsync<Exception>(async () =>
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            await body.CopyToAsync(Stream.Null);
        });
        read.ShouldBeAssignableTo<IOException>(read.ToString());
    }

    [Fact]
    public async Task CallerLeaves_UpstreamCallIsCancelled_AndNothingIsLoggedAsAnError()
    {
        // A connection of its own, so that the log lines of other tests' calls (written as their responses end) are told apart.
        var id = await CreateServerConnectionAsync("leaving-user");
        upstream.ResetHang();
        using var api = server.Client();
        using var leave = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Should.ThrowAsync<OperationCanceledException>(() => api.GetAsync(Url("_misbehave/hang", id), leave.Token));

        // Well inside Proxy:Timeout (3 s): the upstream call ended because the caller left, not because it timed out.
        var timer = Stopwatch.StartNew();
        await upstream.HangAborted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        timer.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2.5));
        await Task.Delay(200);
        var logged = logs.Where(l => l.Message.Contains(id, StringComparison.Ordinal) || l.Level >= LogLevel.Error).ToList();
        logged.ShouldBeEmpty(string.Join("\n", logged.Select(l => $"{l.Level} {l.Category}: {l.Message}")));
    }

    [Fact]
    public async Task ExpectContinue_RefusedBeforeTheBody_CallerNeverUploadsIt()
    {
        using var handler = new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) };
        using var api = new HttpClient(handler) { BaseAddress = server.BaseUrl };
        api.DefaultRequestHeaders.Authorization = new("Bearer", AdoBridgeServer.BootstrapKey);
        var content = new WatchedContent(64 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, Url("_misbehave/refuse")) { Content = content };
        request.Headers.ExpectContinue = true;

        var timer = Stopwatch.StartNew();
        using var response = await api.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldContain("TF400813");
        content.Sent.ShouldBeFalse("the proxy asked the caller for a body that Azure DevOps had already refused");
        timer.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task ExpectContinue_Accepted_StreamsTheLargeBodyUpstream_WithExpectPassedOn()
    {
        using var handler = new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) };
        using var api = new HttpClient(handler) { BaseAddress = server.BaseUrl };
        api.DefaultRequestHeaders.Authorization = new("Bearer", AdoBridgeServer.BootstrapKey);
        var content = new WatchedContent(3 * 1024 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, Url("_misbehave/echo")) { Content = content };
        request.Headers.ExpectContinue = true;

        var echo = await (await api.SendAsync(request)).ShouldBeJsonAsync();

        echo.GetProperty("bytes").GetInt64().ShouldBe(3 * 1024 * 1024);
        echo.GetProperty("expect").GetString().ShouldBe("100-continue");
        content.Sent.ShouldBeTrue();
    }

    [Fact]
    public async Task ChunkedBody_StreamsUpstream()
    {
        using var api = server.Client();
        var content = new WatchedContent(2 * 1024 * 1024, knownLength: false);

        var echo = await (await api.PostAsync(Url("_misbehave/echo"), content)).ShouldBeJsonAsync();

        echo.GetProperty("bytes").GetInt64().ShouldBe(2 * 1024 * 1024);
        echo.GetProperty("chunked").GetString().ShouldBe("chunked");
    }

    [Fact]
    public async Task UpstreamSilent_Is504ProblemAfterProxyTimeout()
    {
        using var api = server.Client();

        var problem = await (await api.GetAsync(Url("_misbehave/hang"))).ShouldBeProblemAsync(HttpStatusCode.GatewayTimeout, "azure_devops_timeout");

        problem.GetProperty("detail").GetString()!.ShouldContain("Proxy:Timeout");
    }

    [Fact]
    public async Task UpstreamUnreachable_Is502ProblemWithItsCode()
    {
        var id = await CreateServerConnectionAsync("unreachable-user");
        // Nothing listens on a port just released; the connection is pointed there as another instance would see it.
        var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using (var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync())
        {
            await db.Connections.Where(c => c.Id == id).ExecuteUpdateAsync(u => u.SetProperty(c => c.ServerUrl, $"http://127.0.0.1:{port}/tfs/DefaultCollection"));
        }

        using var api = server.Client();
        HttpResponseMessage response;
        var deadline = Stopwatch.StartNew();
        do
        {
            response = await api.GetAsync(Url("_apis/projects?api-version=7.1", id));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                await Task.Delay(200);
            }
        }
        while (response.StatusCode == HttpStatusCode.OK && deadline.Elapsed < TimeSpan.FromSeconds(8));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway, "azure_devops_unreachable");
        problem.GetProperty("detail").GetString()!.ShouldContain("ConnectionError");
        var stats = await (await api.GetAsync($"/v1/connections/{id}/proxy-stats")).ShouldBeJsonAsync();
        stats.GetProperty("lastStatus").GetInt32().ShouldBe(502);
    }

    /// <summary>A request body that records whether the client was asked to send it.</summary>
    private sealed class WatchedContent(int length, bool knownLength = true) : HttpContent
    {
        public bool Sent { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            Sent = true;
            var chunk = new byte[64 * 1024];
            for (var left = length; left > 0; left -= chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, Math.Min(left, chunk.Length)));
            }
        }

        protected override bool TryComputeLength(out long length2)
        {
            length2 = length;
            return knownLength;
        }
    }

    internal sealed class CapturingLoggerProvider(ConcurrentQueue<(LogLevel, string, string)> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, sink);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<(LogLevel, string, string)> sink) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => sink.Enqueue((logLevel, category, formatter(state, exception)));
        }
    }
}

/// <summary>One misbehaving upstream and one AdoBridge (Proxy:Timeout 3 s, bodies over 1 KiB streamed) for the class.</summary>
public sealed class MisbehavingFixture : IAsyncLifetime
{
    internal ConcurrentQueue<(LogLevel Level, string Category, string Message)> Logs { get; } = new();

    internal MisbehavingServer Upstream { get; private set; } = null!;

    internal AdoBridgeServer Server { get; private set; } = null!;

    internal string ConnectionId { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        Upstream = await MisbehavingServer.StartAsync();
        Server = await AdoBridgeServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["AdoBridge:Sandbox"] = "on",
                ["AdoBridge:EmulatorUrl"] = Upstream.BaseUrl.ToString(),
                ["AdoBridge:EmulatorAdminToken"] = MisbehavingServer.AdminToken,
                ["Proxy:Timeout"] = "00:00:03",
                ["Proxy:ReplayableBodyLimit"] = "1024",
            },
            configure: builder => builder.Logging.AddProvider(new ProxyForwardingFailureTests.CapturingLoggerProvider(Logs)));
        ConnectionId = await CreateServerConnectionAsync("misbehave-user");
    }

    internal async Task<string> CreateServerConnectionAsync(string endUserId)
    {
        using var api = Server.Client();
        var app = await api.PutAsJsonAsync("/v1/admin/apps/tfs", new { type = "pat", displayName = "Contoso TFS", azureDevOps = new { serverUrl = Upstream.CollectionUrl } });
        app.StatusCode.ShouldBeOneOf(HttpStatusCode.Created, HttpStatusCode.OK);
        var pat = (await Server.DetailsAsync()).GetProperty("pat").GetString();
        var created = await (await api.PostAsJsonAsync("/v1/connections", new { type = "pat", endUserId, organization = Upstream.CollectionUrl, pat, app = "tfs" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
