using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.Webhooks.Delivery;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AdoBridge.IntegrationTests.Webhooks.Delivery;

/// <summary>
/// Webhook endpoints cannot reach inside AdoBridge's network: literal internal addresses are refused at registration, names
/// are resolved and vetted at every send and the connection goes to exactly the vetted address (so DNS rebinding fails),
/// a refused send tells nothing about the destination, and fan-out is bounded. No test sends traffic off this machine:
/// names are answered by a test resolver, and the public test address it gives (203.0.113.0/24) is never connected to.
/// </summary>
public sealed class DestinationPolicyTests
{
    private const string Setting = "AdoBridge:Webhooks:AllowedPrivateDestinations";

    [Theory]
    [InlineData("http://127.0.0.1/hooks")]
    [InlineData("http://127.1/hooks")]
    [InlineData("http://2130706433/hooks")]
    [InlineData("http://0x7f000001/hooks")]
    [InlineData("http://0177.0.0.1/hooks")]
    [InlineData("http://[::1]/hooks")]
    [InlineData("http://[::ffff:127.0.0.1]/hooks")]
    [InlineData("http://[::127.0.0.1]/hooks")]
    [InlineData("http://[fe80::1%25eth0]/hooks")]
    [InlineData("http://localhost/hooks")]
    [InlineData("http://localhost./hooks")]
    [InlineData("http://api.localhost:8080/hooks")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://2852039166/latest/meta-data/")]
    [InlineData("https://10.1.2.3/hooks")]
    [InlineData("https://172.16.0.10/hooks")]
    [InlineData("https://192.168.1.1./hooks")]
    [InlineData("https://100.64.0.1/hooks")]
    [InlineData("https://[fd00::1]/hooks")]
    [InlineData("https://[fec0::1]/hooks")]
    [InlineData("http://0.0.0.0/hooks")]
    [InlineData("http://224.0.0.1/hooks")]
    public async Task Registration_RefusesInternalAddressesInEveryForm_OnCreateAndUpdate(string url)
    {
        await using var server = await StartAsync(sandbox: false);
        using var api = server.Client();

        var created = await (await api.PostAsJsonAsync("/v1/webhook-endpoints", new { url, events = new[] { "*" } }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "endpoint_destination_forbidden");
        created.GetProperty("detail").GetString()!.ShouldContain(Setting);
        created.GetProperty("field").GetString().ShouldBe("url");

        var (id, _) = await api.CreateEndpointAsync(new Uri("https://203.0.113.9/hooks"));
        await (await api.PatchAsJsonAsync($"/v1/webhook-endpoints/{id}", new { url }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "endpoint_destination_forbidden");
    }

    [Fact]
    public async Task Sandbox_AllowsLoopbackReceivers_ButNotPrivateNetworks()
    {
        await using var server = await StartAsync(sandbox: true);
        using var api = server.Client();
        await api.CreateEndpointAsync(new Uri("http://127.0.0.1:9/hooks"));
        await api.CreateEndpointAsync(new Uri("http://localhost:9/hooks"));
        await (await api.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "http://10.0.0.8/hooks", events = new[] { "*" } }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "endpoint_destination_forbidden");
        await (await api.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "http://169.254.169.254/", events = new[] { "*" } }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "endpoint_destination_forbidden");
    }

    [Fact]
    public async Task DnsRebinding_PublicAtRegistration_LoopbackAtSend_IsRefusedWithoutContact()
    {
        await using var receiver = await ProductReceiver.StartAsync();
        var resolver = new ScriptedResolver();
        resolver.Answer("rebind.test", IPAddress.Parse("203.0.113.7"));
        await using var server = await StartAsync(sandbox: false, resolver: resolver);
        using var api = server.Client();

        // Registration resolves the name and sees a public address: accepted.
        var url = new Uri($"http://rebind.test:{receiver.BaseUrl.Port}/hooks");
        var (id, _) = await api.CreateEndpointAsync(url);
        resolver.Lookups("rebind.test").ShouldBe(1);

        // Then the name answers loopback, where the receiver listens: the send is refused before any connection.
        resolver.Answer("rebind.test", IPAddress.Loopback);
        var eventId = await SendTestAsync(api, id);
        var attempt = await FirstAttemptAsync(api, eventId);

        attempt.GetProperty("outcome").GetString().ShouldBe("destination_refused");
        attempt.GetProperty("error").GetString()!.ShouldContain(Setting);
        attempt.GetProperty("error").GetString()!.ShouldNotContain("127.0.0.1");
        Text(attempt, "statusCode").ShouldBeOneOf("(absent)", "");
        Text(attempt, "responseBody").ShouldBeOneOf("(absent)", "");
        attempt.GetProperty("durationMs").GetInt32().ShouldBe(0);
        resolver.Lookups("rebind.test").ShouldBeGreaterThan(1);
        receiver.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task RefusedSend_ToAClosedAndAnOpenPort_LooksTheSame()
    {
        await using var receiver = await ProductReceiver.StartAsync();
        var resolver = new ScriptedResolver();
        resolver.Answer("open.test", IPAddress.Parse("203.0.113.8"));
        resolver.Answer("closed.test", IPAddress.Parse("203.0.113.8"));
        await using var server = await StartAsync(sandbox: false, resolver: resolver);
        using var api = server.Client();
        var (open, _) = await api.CreateEndpointAsync(new Uri($"http://open.test:{receiver.BaseUrl.Port}/hooks"));
        var (closed, _) = await api.CreateEndpointAsync(new Uri("http://closed.test:9/hooks"));
        resolver.Answer("open.test", IPAddress.Loopback);
        resolver.Answer("closed.test", IPAddress.Loopback);

        var a = await FirstAttemptAsync(api, await SendTestAsync(api, open));
        var b = await FirstAttemptAsync(api, await SendTestAsync(api, closed));

        foreach (var field in new[] { "outcome", "error", "durationMs", "statusCode", "responseBody" })
        {
            Text(a, field).ShouldBe(Text(b, field), field);
        }
    }

    [Fact]
    public async Task AllowList_ByCidrOrHostName_LetsInternalReceiversThrough_ToTheVettedAddress()
    {
        await using var receiver = await ProductReceiver.StartAsync();
        var resolver = new ScriptedResolver();
        resolver.Answer("hooks.internal.test", IPAddress.Loopback);
        await using var server = await StartAsync(sandbox: false, resolver: resolver, settings: new()
        {
            [Setting + ":0"] = "127.0.0.0/8",
            [Setting + ":1"] = "hooks.internal.test",
        });
        using var api = server.Client();

        var (literal, _) = await api.CreateEndpointAsync(receiver.Url("literal"));
        await SendTestAsync(api, literal);
        await receiver.NextAsync("literal");

        // The system resolver knows nothing of this name: the request arriving proves the connection used the vetted answer,
        // and the Host header (and TLS SNI, for https) stay the URL's name.
        var (named, _) = await api.CreateEndpointAsync(new Uri($"http://hooks.internal.test:{receiver.BaseUrl.Port}/named"));
        await SendTestAsync(api, named);
        var receipt = await receiver.NextAsync("named");
        receipt.Headers["host"].ShouldBe($"hooks.internal.test:{receiver.BaseUrl.Port}");

        // 127.0.0.0/8 does not open the rest of the private space.
        await (await api.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "http://192.168.0.1/", events = new[] { "*" } }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "endpoint_destination_forbidden");
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.1/8")]
    [InlineData("not a host!")]
    public async Task AllowList_WithAnInvalidEntry_StopsStartUp_NamingTheSetting(string entry)
    {
        var e = await Should.ThrowAsync<OptionsValidationException>(() => StartAsync(sandbox: false, settings: new() { [Setting + ":0"] = entry }));
        e.Message.ShouldContain(Setting);
        e.Message.ShouldContain(entry.Trim());
    }

    [Fact]
    public async Task Endpoints_PerEnvironment_AreBounded_SoOneEventFansOutToAFewOnly()
    {
        await using var server = await StartAsync(sandbox: true, settings: new() { ["AdoBridge:Webhooks:MaxEndpointsPerEnvironment"] = "2" });
        using var api = server.Client();
        await api.CreateEndpointAsync(new Uri("http://127.0.0.1:9/a"));
        await api.CreateEndpointAsync(new Uri("http://127.0.0.1:9/b"));
        var problem = await (await api.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "http://127.0.0.1:9/c", events = new[] { "*" } }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "webhook_endpoint_limit_reached");
        problem.GetProperty("detail").GetString()!.ShouldContain("MaxEndpointsPerEnvironment");
    }

    [Fact]
    public async Task Sends_PerSecond_AreBounded()
    {
        await using var receiver = await ProductReceiver.StartAsync();
        await using var server = await StartAsync(sandbox: true, settings: new() { ["AdoBridge:Webhooks:MaxRequestsPerSecond"] = "4" });
        using var api = server.Client();
        var (id, _) = await api.CreateEndpointAsync(receiver.Url("rate"));

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 12; i++)
        {
            await SendTestAsync(api, id);
        }

        await receiver.WaitAsync("rate", r => r.Count >= 12, TimeSpan.FromSeconds(20));
        watch.Elapsed.ShouldBeGreaterThan(TimeSpan.FromSeconds(2), "12 requests at 4 per second take at least 2 seconds");
    }

    private static async Task<AdoBridgeServer> StartAsync(bool sandbox, ScriptedResolver? resolver = null, Dictionary<string, string?>? settings = null)
    {
        settings = WebhookServers.FastDelivery(settings);
        settings["AdoBridge:Sandbox"] = sandbox ? "on" : "off";
        settings["AdoBridge:Webhooks:RetrySchedule:0"] = "01:00:00";
        return await AdoBridgeServer.StartAsync(settings, configure: resolver is null ? null
            : (WebApplicationBuilder b) => b.Services.AddSingleton<IDestinationResolver>(resolver));
    }

    private static async Task<string> SendTestAsync(HttpClient api, string endpointId)
        => (await (await api.PostAsync($"/v1/webhook-endpoints/{endpointId}/test", null)).ShouldBeJsonAsync(HttpStatusCode.Accepted))
            .GetProperty("eventId").GetString()!;

    private static async Task<JsonElement> FirstAttemptAsync(HttpClient api, string eventId)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        while (true)
        {
            var e = await api.EventAsync(eventId);
            if (e.GetProperty("deliveries")[0].GetProperty("attempts") is { ValueKind: JsonValueKind.Array } attempts && attempts.GetArrayLength() > 0)
            {
                return attempts[0];
            }

            DateTimeOffset.UtcNow.ShouldBeLessThan(deadline, $"no attempt recorded: {e}");
            await Task.Delay(50);
        }
    }

    private static string Text(JsonElement e, string field) => e.TryGetProperty(field, out var v) ? v.ToString() : "(absent)";

    /// <summary>Answers names from a script and counts lookups; unknown names do not resolve.</summary>
    private sealed class ScriptedResolver : IDestinationResolver
    {
        private readonly ConcurrentDictionary<string, IPAddress> answers = new(StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentDictionary<string, int> lookups = new(StringComparer.OrdinalIgnoreCase);

        public void Answer(string host, IPAddress address) => answers[host] = address;

        public int Lookups(string host) => lookups.GetValueOrDefault(host);

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
        {
            lookups.AddOrUpdate(host, 1, (_, n) => n + 1);
            return answers.TryGetValue(host, out var a) ? Task.FromResult(new[] { a })
                : Task.FromException<IPAddress[]>(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound));
        }
    }
}
