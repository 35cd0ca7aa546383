using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Cli;

/// <summary>`endpoints`, `events` and `deliveries`, in the order an operator uses them, each compared with the API.</summary>
public sealed class EventsCommandTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private AdoBridgeServer Server => fixture.Server;

    [Fact]
    public async Task Endpoints_CreateListTestRotate_ThenEventsAndDeliveries()
    {
        var cli = Server.Cli();
        var created = (await cli.RunAsync("endpoints", "create", "--url", "http://127.0.0.1:9/cli-hooks", "--events", "webhook.test,connection.*", "--description", "cli test")).ShouldExit(0).Json();
        var endpoint = created.GetProperty("id").GetString()!;
        created.GetProperty("secret").GetString().ShouldStartWith("whsec_");
        created.GetProperty("events").EnumerateArray().Select(e => e.GetString()).ShouldBe(["webhook.test", "connection.*"]);

        (await cli.RunAsync("endpoints", "list", "--all")).ShouldExit(0).Json().ShouldMatchApi(await Server.ApiAsync("/v1/webhook-endpoints?limit=100"));
        (await cli.RunAsync("endpoints", "get", endpoint)).ShouldExit(0).Json().ShouldMatchApi(await Server.ApiAsync($"/v1/webhook-endpoints/{endpoint}"));

        var test = (await cli.RunAsync("endpoints", "test", endpoint)).ShouldExit(0).Json();
        var eventId = test.GetProperty("eventId").GetString()!;
        test.GetProperty("endpointId").GetString().ShouldBe(endpoint);

        (await cli.RunAsync("events", "get", eventId)).ShouldExit(0).Json().GetProperty("type").GetString().ShouldBe("webhook.test");
        var events = (await cli.RunAsync("events", "list", "--type", "webhook.test")).ShouldExit(0).Json();
        events.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ShouldContain(eventId);
        events.ShouldMatchApi(await Server.ApiAsync("/v1/events?type=webhook.test"));

        var deliveries = (await cli.RunAsync("deliveries", "list", "--event", eventId)).ShouldExit(0).Json();
        deliveries.GetProperty("items")[0].GetProperty("endpointId").GetString().ShouldBe(endpoint);
        deliveries.GetProperty("items")[0].GetProperty("id").GetString().ShouldBe(test.GetProperty("deliveryId").GetString());

        var replay = (await cli.RunAsync("events", "replay", eventId, "--endpoint", endpoint)).ShouldExit(0).Json();
        replay.GetProperty("eventId").GetString().ShouldBe(eventId);

        var rotated = (await cli.RunAsync("endpoints", "rotate", endpoint)).ShouldExit(0).Json();
        rotated.GetProperty("secret").GetString().ShouldNotBe(created.GetProperty("secret").GetString());
        rotated.GetProperty("previousSecretExpiresAt").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.String);

        (await cli.RunAsync("endpoints", "delete", endpoint)).ShouldExit(0);
        (await cli.RunAsync("endpoints", "get", endpoint)).ShouldExit(4).Stderr.ShouldContain("webhook_endpoint_not_found");
    }

    [Fact]
    public async Task EventsGet_Unknown_Exits4()
        => (await Server.Cli().RunAsync("events", "get", "evt_doesnotexist")).ShouldExit(4).Stderr.ShouldContain("event_not_found");

    [Fact]
    public async Task EventsReplay_WithoutEventsOrFilters_IsAUsageError()
        => (await Server.Cli().RunAsync("events", "replay")).ShouldExit(2).Stderr.ShouldContain("replay_needs_selection");

    [Fact]
    public async Task EventsReplay_ByFilter_ReplaysEveryMatch()
    {
        var connection = await Server.PatConnectionAsync("cli-replay-user");
        var result = (await Server.Cli().RunAsync("events", "replay", "--connection", connection)).ShouldExit(0).Json();
        var replayed = result.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("eventId").GetString()).ToList();
        var api = (await Server.ApiAsync($"/v1/events?connectionId={connection}")).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        replayed.ShouldBe(api);
        replayed.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task EndpointsCreate_BadUrl_IsAUsageError()
        => (await Server.Cli().RunAsync("endpoints", "create", "--url", "not a url", "--events", "x")).ShouldExit(2).Stderr.ShouldContain("invalid_url");
}
