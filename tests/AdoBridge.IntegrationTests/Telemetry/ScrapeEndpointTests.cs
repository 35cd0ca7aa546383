using System.Net;
using System.Net.Http.Json;
using AdoBridge.ApiKeys;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Security;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AdoBridge.IntegrationTests.Telemetry;

/// <summary>The Prometheus scrape endpoint (off by default, owner key unless opened), the settings' validation, and telemetry off.</summary>
[Collection(TracedServer.Collection)]
public sealed class ScrapeEndpointTests
{
    [Fact]
    public async Task ScrapeEndpoint_IsInTheRouteTable_AndTakesAnOwnerKey()
    {
        await using var server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?> { ["AdoBridge:Telemetry:PrometheusEnabled"] = "true" });
        RouteTable.Read(server.App).ShouldContain(r => r.Pattern == "/metrics" && r.RequiredRole == ApiKeyRoles.Owner);

        using var anonymous = server.Client(apiKey: null);
        await (await anonymous.GetAsync("/metrics")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "missing_api_key");
        using var owner = server.Client();
        using var admin = server.Client(await CreateKeyAsync(owner, ApiKeyRoles.Admin));
        await (await admin.GetAsync("/metrics")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, ApiKeyProblems.OwnerRoleRequired);

        var text = await ScrapeAsync(owner);
        text.ShouldContain("adobridge_deliveries_pending");
        text.ShouldContain("http_server_request_duration_seconds");
    }

    [Fact]
    public async Task ScrapeEndpoint_OpenedByTheOperator_AnswersWithoutAKey()
    {
        await using var server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?>
        {
            ["AdoBridge:Telemetry:PrometheusEnabled"] = "true",
            ["AdoBridge:Telemetry:PrometheusPath"] = "/internal/metrics",
            ["AdoBridge:Telemetry:PrometheusAllowAnonymous"] = "true",
        });
        using var anonymous = server.Client(apiKey: null);
        (await ScrapeAsync(anonymous, "/internal/metrics")).ShouldContain("adobridge_deliveries_pending");
    }

    [Fact]
    public async Task TelemetryOff_RegistersNoProviderAndNoScrapeEndpoint()
    {
        await using var server = await AdoBridgeServer.StartAsync();
        server.Service<TracerProvider>().ShouldBeNull();
        server.Service<MeterProvider>().ShouldBeNull();
        RouteTable.Read(server.App).ShouldNotContain(r => r.Pattern == "/metrics");
    }

    [Theory]
    [InlineData("PrometheusPath", "/v1/metrics")]
    [InlineData("PrometheusPath", "metrics")]
    [InlineData("TraceSampleRatio", "1.5")]
    [InlineData("GaugeCacheDuration", "01:00:00")]
    public async Task InvalidSetting_StopsStartup_NamingIt(string setting, string value)
    {
        var e = await Should.ThrowAsync<OptionsValidationException>(() => AdoBridgeServer.StartAsync(new Dictionary<string, string?>
        {
            ["AdoBridge:Telemetry:PrometheusEnabled"] = "true",
            ["AdoBridge:Telemetry:" + setting] = value,
        }));
        e.Message.ShouldContain("AdoBridge:Telemetry:" + setting);
    }

    private static async Task<string> ScrapeAsync(HttpClient client, string path = "/metrics")
    {
        // The exporter answers from its last collection; the first scrape may come before the gauges' first read.
        for (var i = 0; ; i++)
        {
            using var response = await client.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var text = await response.Content.ReadAsStringAsync();
            if (text.Contains("adobridge_deliveries_pending", StringComparison.Ordinal) || i == 20)
            {
                return text;
            }

            await Task.Delay(100);
        }
    }

    private static async Task<string> CreateKeyAsync(HttpClient owner, string role)
    {
        var created = await (await owner.PostAsJsonAsync("/v1/admin/api-keys", new { name = $"scrape test {role}", role })).ShouldBeJsonAsync(HttpStatusCode.Created);
        return created.GetProperty("key").GetString()!;
    }
}
