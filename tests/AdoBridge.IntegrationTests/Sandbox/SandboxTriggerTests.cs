using System.Net;
using System.Net.Http.Json;
using AdoBridge.Client;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Storage;

namespace AdoBridge.IntegrationTests.Sandbox;

/// <summary>POST /v1/sandbox/trigger makes the emulator act through its REST API, and the event runs the whole chain to the stream.</summary>
public sealed class SandboxTriggerTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task PullRequestCreated_OnAFreshSandbox_MakesConnectionAndSubscription_AndTheEventReachesTheStream(string engine)
    {
        await using var server = await AdoBridgeServer.StartAsync(await StorageEngine.SettingsAsync(engine));
        using var http = server.Client();
        var client = new AdoBridgeClient(http);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? start = null;
        var connected = new TaskCompletionSource();
        var stream = client.Events.StreamAsync(new EventStreamRequest { Types = ["pull_request.*"], Connected = c => { start = c; connected.TrySetResult(); } }, cts.Token)
            .GetAsyncEnumerator(cts.Token);
        var first = stream.MoveNextAsync().AsTask();
        await connected.Task.WaitAsync(cts.Token);

        var result = await client.TriggerSandboxEventAsync("pull_request.created", cancellationToken: cts.Token);

        result.ConnectionCreated.ShouldBeTrue();
        result.SubscriptionCreated.ShouldBeTrue();
        result.Project.ShouldBe("Fabrikam-Fiber-Git");
        result.Steps.ShouldContain(s => s.StartsWith("created pull request", StringComparison.Ordinal));
        result.AzureDevOpsEventId.ShouldNotBeNull();
        result.EventId.ShouldNotBeNull();
        (await first).ShouldBeTrue();
        var arrived = stream.Current;
        arrived.Event.Id.ShouldBe(result.EventId);
        arrived.Event.Type.ShouldBe("pull_request.created");
        arrived.Event.AzureDevOpsEventId.ShouldBe(result.AzureDevOpsEventId);
        arrived.Event.ConnectionId.ShouldBe(result.ConnectionId);
        arrived.Event.Data.ToString().ShouldContain(result.Resource["pullRequestId"].ToString());
        long.Parse(arrived.Cursor).ShouldBeGreaterThan(long.Parse(start!));
        await stream.DisposeAsync();

        // A second trigger reuses both.
        var again = await client.TriggerSandboxEventAsync("pull_request.created", result.ConnectionId, cts.Token);
        (again.ConnectionCreated, again.SubscriptionCreated, again.SubscriptionId).ShouldBe((false, false, result.SubscriptionId));
        again.EventId.ShouldNotBe(result.EventId);
    }

    [Theory]
    [InlineData("pull_request.updated")]
    [InlineData("pull_request.merged")]
    [InlineData("pull_request.commented")]
    [InlineData("git.push")]
    [InlineData("work_item.created")]
    [InlineData("work_item.updated")]
    [InlineData("work_item.commented")]
    public async Task EachEvent_ArrivesInTheEventLog_AsThatType(string type)
    {
        using var api = fixture.Server.Client();
        var result = await (await api.PostAsJsonAsync("/v1/sandbox/trigger", new { @event = type })).ShouldBeJsonAsync();
        var eventId = result.GetProperty("eventId").GetString().ShouldNotBeNull();
        var logged = await (await api.GetAsync($"/v1/events/{eventId}")).ShouldBeJsonAsync();
        logged.GetProperty("type").GetString().ShouldBe(type);
        logged.GetProperty("azureDevOpsEventId").GetString().ShouldBe(result.GetProperty("azureDevOpsEventId").GetString());
    }

    [Fact]
    public async Task Refusals_NameTheProblem()
    {
        using var api = fixture.Server.Client();
        (await (await api.PostAsJsonAsync("/v1/sandbox/trigger", new { @event = "pull_request.exploded" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_trigger"))
            .GetProperty("detail").GetString()!.ShouldContain("pull_request.created");
        await (await api.PostAsJsonAsync("/v1/sandbox/trigger", new { @event = "git.push", connection = "conn_nope" })).ShouldBeProblemAsync(HttpStatusCode.NotFound, "connection_not_found");
        var other = (await (await api.PostAsJsonAsync("/v1/admin/api-keys", new { name = "trigger other env", environment = "production", role = "product" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("key").GetString();
        using var production = fixture.Server.Client(other);
        await (await production.PostAsJsonAsync("/v1/sandbox/trigger", new { @event = "git.push" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "sandbox_environment_only");
        using var anonymous = fixture.Server.Client(apiKey: null);
        await (await anonymous.PostAsJsonAsync("/v1/sandbox/trigger", new { @event = "git.push" })).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }
}
