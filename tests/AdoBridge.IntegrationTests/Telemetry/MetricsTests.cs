using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Webhooks;
using OpenTelemetry.Metrics;

namespace AdoBridge.IntegrationTests.Telemetry;

/// <summary>AdoBridge's own metrics, read with the in-memory exporter after a pull request event went through.</summary>
[Collection(TracedServer.Collection)]
public sealed class MetricsTests
{
    private const string Project = "Fabrikam-Fiber-Git";

    [Fact]
    public async Task AfterAnEventIsDelivered_MetricsCountItAndTheBacklogGaugesReadTheDatabase_WithBoundedLabels()
    {
        await using var traced = await TracedServer.StartAsync(new()
        {
            ["AdoBridge:Telemetry:GaugeCacheDuration"] = "00:00:00",
            ["AdoBridge:Webhooks:Timeout"] = "00:00:03",
        });
        var server = traced.Server;
        await using var receiver = await ProductReceiver.StartAsync();
        receiver.Blackhole("slow");
        using var api = server.Client();
        await api.CreateEndpointAsync(receiver.Url("prs"), "pull_request.*");
        await api.CreateEndpointAsync(receiver.Url("slow"), "pull_request.*");
        var connectionId = await server.ConnectWithMicrosoftAsync("metrics-user");
        await (await api.PostAsJsonAsync($"/v1/connections/{connectionId}/subscriptions", new { organization = "fabrikam", project = Project, events = new[] { "git.pullrequest.created" } }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        (await api.PostAsJsonAsync($"/v1/proxy/{connectionId}/fabrikam/{Project}/_apis/git/repositories/{Project}/pullrequests?api-version=7.1",
            new { sourceRefName = "refs/heads/users/bob/readme-typo", targetRefName = "refs/heads/main", title = "Measured" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        await receiver.NextAsync("prs", r => r.Json.GetProperty("type").GetString() == "pull_request.created", TimeSpan.FromSeconds(15));
        await receiver.NextAsync("slow", timeout: TimeSpan.FromSeconds(15));

        // The slow endpoint's delivery is pending while its attempt hangs: the backlog gauges see it.
        var pending = traced.Points("adobridge.deliveries.pending").ShouldHaveSingleItem().GetGaugeLastValueLong();
        pending.ShouldBeGreaterThanOrEqualTo(1);
        traced.Points("adobridge.deliveries.pending.oldest_age").ShouldHaveSingleItem().GetGaugeLastValueDouble().ShouldBeGreaterThanOrEqualTo(0);

        Sum(traced, "adobridge.events.ingested", ("adobridge.event.type", "pull_request.created"), ("outcome", "accepted")).ShouldBeGreaterThanOrEqualTo(1);
        Sum(traced, "adobridge.delivery.attempts", ("outcome", "succeeded")).ShouldBeGreaterThanOrEqualTo(1);
        traced.Points("adobridge.delivery.latency").Sum(p => p.GetHistogramCount()).ShouldBeGreaterThanOrEqualTo(1);
        traced.Points("adobridge.connections").Where(p => Labels(p).GetValueOrDefault("status") == "active").ShouldHaveSingleItem().GetGaugeLastValueLong().ShouldBeGreaterThanOrEqualTo(1);
        traced.Points("adobridge.subscriptions.last_event_age").Select(p => Labels(p)["stat"]).Order().ShouldBe(["max", "min"]);
        // The proxy's own meter is exported too. (Probed with an instrument of this test's: the proxy's instruments are shared by
        // name with every other test server in the process, and one of those disposing its meter ends the shared stream.)
        using (var proxyMeter = new Meter(AdoBridge.Telemetry.AdoBridgeTelemetry.ProxyMeterName))
        {
            var probe = "adobridge.proxy.probe_" + Guid.NewGuid().ToString("N")[..8];
            proxyMeter.CreateCounter<long>(probe).Add(3);
            Sum(traced, probe).ShouldBe(3);
        }

        (await api.PostAsync($"/v1/connections/{connectionId}/refresh", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        Sum(traced, "adobridge.token.refreshes", ("outcome", "renewed")).ShouldBeGreaterThanOrEqualTo(1);

        // The platform's own: HTTP server and client, and the runtime. The server's come from this server's own meter; the
        // HTTP client meter is shared by name with every other test server in the process (the first one registered wins
        // the stream, and its server may have stopped), so it is probed like the proxy's above.
        traced.Points("http.server.request.duration").ShouldNotBeEmpty();
        traced.Points("dotnet.gc.collections").ShouldNotBeEmpty();
        using (var httpClientMeter = new Meter("System.Net.Http"))
        {
            var probe = "http.client.probe_" + Guid.NewGuid().ToString("N")[..8];
            httpClientMeter.CreateCounter<long>(probe).Add(2);
            Sum(traced, probe).ShouldBe(2);
        }

        // No label anywhere carries an id: series stay bounded however many connections and events there are.
        foreach (var name in new[] { "adobridge.events.ingested", "adobridge.delivery.attempts", "adobridge.token.refreshes", "adobridge.connections", "adobridge.subscriptions.last_event_age" })
        {
            foreach (var point in traced.Points(name))
            {
                Labels(point).Values.ShouldAllBe(v => !v.Contains('_') || !v.Any(char.IsDigit), $"{name} has an id-like label");
            }
        }
    }

    private static Dictionary<string, string> Labels(MetricPoint point)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in point.Tags)
        {
            labels[tag.Key] = Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }

        return labels;
    }

    private static long Sum(TracedServer traced, string name, params (string Key, string Value)[] match)
        => traced.Points(name).Where(p => match.All(m => Labels(p).GetValueOrDefault(m.Key) == m.Value)).Sum(p => p.GetSumLong());
}
