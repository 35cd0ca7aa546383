using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Storage;
using AdoBridge.Operations;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.IntegrationTests.Webhooks.Ingest;

/// <summary>An Azure DevOps event that reaches the hooks of several connections is one AdoBridge event per connection,
/// each naming its connection and carrying the Azure DevOps event id; a retry to the same hook is still one event.</summary>
public sealed class EventsPerConnectionTests
{
    private static async Task<(string ConnectionId, JsonElement Subscription)> SubscribeAsync(AdoBridgeServer server, string endUser, string upn)
    {
        var connectionId = await server.ConnectWithMicrosoftAsync(endUser, upn);
        using var api = server.Client();
        var subscription = await (await api.PostAsJsonAsync($"/v1/connections/{connectionId}/subscriptions",
            new { organization = "fabrikam", project = ServiceHooksFixture.Project, events = new[] { "git.pullrequest.created" } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        return (connectionId, subscription);
    }

    private static async Task<List<JsonElement>> EventsAsync(AdoBridgeServer server, string connectionId, Func<JsonElement, bool> where, int count)
    {
        using var api = server.Client();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var body = await (await api.GetAsync($"/v1/events?type=pull_request.created&connectionId={connectionId}&limit=500")).ShouldBeJsonAsync();
            var items = body.GetProperty("items").EnumerateArray().Where(where).ToList();
            if (items.Count >= count || DateTime.UtcNow > deadline)
            {
                return items;
            }

            await Task.Delay(100);
        }
    }

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task PullRequestSeenByTwoConnections_IsOneEventForEach_WithTheSameAzureDevOpsEventId(string engine)
    {
        await using var server = await WebhookServers.StartAsync(engine, new() { ["AdoBridge:ServiceHooks:HealthCheckInterval"] = "00:00:00" });
        await using var receiver = await ProductReceiver.StartAsync();
        var (alice, _) = await SubscribeAsync(server, "alice-user", "alice@fabrikam.onmicrosoft.com");
        var (bob, _) = await SubscribeAsync(server, "bob-user", "bob@fabrikam.onmicrosoft.com");
        using var api = server.Client();
        var (_, signingSecret) = await api.CreateEndpointAsync(receiver.Url("prs"), "pull_request.*");
        var title = "Seen by two " + Guid.NewGuid().ToString("N");

        (await api.PostAsJsonAsync($"/v1/proxy/{alice}/fabrikam/{ServiceHooksFixture.Project}/_apis/git/repositories/{ServiceHooksFixture.Repository}/pullrequests?api-version=7.1",
            new { sourceRefName = "refs/heads/users/bob/readme-typo", targetRefName = "refs/heads/main", title })).EnsureSuccessStatusCode();

        bool Mine(JsonElement e) => e.GetProperty("data").GetProperty("pullRequest").GetProperty("title").GetString() == title;
        var forAlice = (await EventsAsync(server, alice, Mine, 1)).ShouldHaveSingleItem();
        var forBob = (await EventsAsync(server, bob, Mine, 1)).ShouldHaveSingleItem();
        forAlice.GetProperty("connectionId").GetString().ShouldBe(alice);
        forBob.GetProperty("connectionId").GetString().ShouldBe(bob);
        forAlice.GetProperty("id").GetString().ShouldNotBe(forBob.GetProperty("id").GetString());
        var azureId = forAlice.GetProperty("azureDevOpsEventId").GetString();
        azureId.ShouldNotBeNullOrEmpty();
        forBob.GetProperty("azureDevOpsEventId").GetString().ShouldBe(azureId);

        // The product hears it once per connection, each webhook naming its connection and Azure DevOps' event id.
        var delivered = await receiver.WaitAsync("prs", r => r.Count(x => x.Text.Contains(title, StringComparison.Ordinal)) >= 2, TimeSpan.FromSeconds(15));
        var bodies = delivered.Where(x => x.Text.Contains(title, StringComparison.Ordinal)).ToList();
        bodies.Count.ShouldBe(2);
        bodies.ForEach(r => r.ShouldVerifyWith(signingSecret));
        bodies.Select(r => r.Json.GetProperty("connectionId").GetString()).ShouldBe([alice, bob], ignoreOrder: true);
        bodies.ShouldAllBe(r => r.Json.GetProperty("azureDevOpsEventId").GetString() == azureId);
        bodies.Select(r => r.WebhookId).Distinct().Count().ShouldBe(2);
    }

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task SameNotificationAtTwoConnectionsHooks_IsStoredForEach_AndARetryAtOneHookIsADuplicate(string engine)
    {
        await using var server = await WebhookServers.StartAsync(engine, new() { ["AdoBridge:ServiceHooks:HealthCheckInterval"] = "00:00:00" });
        var (alice, aliceSubscription) = await SubscribeAsync(server, "alice-user", "alice@fabrikam.onmicrosoft.com");
        var (bob, bobSubscription) = await SubscribeAsync(server, "bob-user", "bob@fabrikam.onmicrosoft.com");
        var (aliceUrl, aliceSecret) = await ServiceHooksFixture.IngestOfAsync(server, aliceSubscription.GetProperty("hooks")[0]);
        var (bobUrl, bobSecret) = await ServiceHooksFixture.IngestOfAsync(server, bobSubscription.GetProperty("hooks")[0]);
        var payload = SandboxPayloads.Retarget(SandboxPayloads.Sample("git.pullrequest.created.json"), ServiceHooksFixture.ProjectIdOf(aliceSubscription));
        var title = "Twice " + Guid.NewGuid().ToString("N");
        payload["resource"]!["title"] = title;
        var body = payload.ToJsonString();
        using var http = new HttpClient();

        using var first = await http.SendAsync(SandboxPayloads.Post(aliceUrl, body, aliceSecret));
        using var retry = await http.SendAsync(SandboxPayloads.Post(aliceUrl, body, aliceSecret));
        using var other = await http.SendAsync(SandboxPayloads.Post(bobUrl, body, bobSecret));

        (await first.ShouldBeJsonAsync()).GetProperty("status").GetString().ShouldBe("accepted");
        (await retry.ShouldBeJsonAsync()).GetProperty("status").GetString().ShouldBe("duplicate");
        (await other.ShouldBeJsonAsync()).GetProperty("status").GetString().ShouldBe("accepted");
        bool Mine(JsonElement e) => e.GetProperty("data").GetProperty("pullRequest").GetProperty("title").GetString() == title;
        (await EventsAsync(server, alice, Mine, 2)).ShouldHaveSingleItem().GetProperty("azureDevOpsEventId").GetString().ShouldBe(payload["id"]!.GetValue<string>());
        (await EventsAsync(server, bob, Mine, 2)).ShouldHaveSingleItem().GetProperty("azureDevOpsEventId").GetString().ShouldBe(payload["id"]!.GetValue<string>());

        // The .NET client reads it too, in the list and in one event.
        var client = AdoBridge.IntegrationTests.Client.BridgeClients.BridgeClient(server);
        var listed = (await client.Events.ListAsync(new AdoBridge.Client.EventQuery { ConnectionId = bob, Type = "pull_request.created" })).Items.ShouldHaveSingleItem();
        listed.AzureDevOpsEventId.ShouldBe(payload["id"]!.GetValue<string>());
        (await client.Events.GetAsync(listed.Id)).AzureDevOpsEventId.ShouldBe(payload["id"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task Upgrade_FromSchemaFour_KeepsEventsAndSubscriptions_AndDeduplicatesPerConnection(string engine)
    {
        var settings = await StorageEngine.SettingsAsync(engine);
        await using var app = AdoBridgeApp.Build(MigrationTests.Args(settings, AdoBridgeServer.NewDataDir()), null);
        var migrator = app.Services.GetRequiredService<SchemaMigrator>();
        await migrator.MigrateAsync(targetVersion: 4);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await ExecAsync(connection, engine, "INSERT INTO environments (id, name, created_at) VALUES ('upgrade', 'Upgrade', @t)");
        await ExecAsync(connection, engine, """
            INSERT INTO subscriptions (id, environment_id, connection_id, organization, project_id, project_name, status, created_at, updated_at)
            VALUES ('sub_old', 'upgrade', 'conn_a', 'fabrikam', 'p1', 'Project', 'active', @t, @t)
            """);
        await ExecAsync(connection, engine, "INSERT INTO events (id, environment_id, type, connection_id, payload, created_at, source, source_event_id, subscription_id) VALUES ('evt_1', 'upgrade', 'pull_request.created', 'conn_a', '{}', @t, 'azure_devops', 'ado-1', 'sub_old')");
        await ExecAsync(connection, engine, "INSERT INTO events (id, environment_id, type, connection_id, payload, created_at) VALUES ('evt_2', 'upgrade', 'connection.created', 'conn_a', '{}', @t)");

        (await migrator.MigrateAsync()).ShouldContain(5);

        (await db.Events.AsNoTracking().Where(e => e.EnvironmentId == "upgrade").Select(e => e.Id).OrderBy(id => id).ToListAsync()).ShouldBe(["evt_1", "evt_2"]);
        var subscription = await db.Subscriptions.AsNoTracking().SingleAsync(s => s.Id == "sub_old");
        subscription.CollectionId.ShouldBeNull();
        subscription.ProjectId.ShouldBe("p1");
        const string Insert = "INSERT INTO events (id, environment_id, type, connection_id, payload, created_at, source, source_event_id) VALUES ('{0}', 'upgrade', 'pull_request.created', '{1}', '{{}}', @t, 'azure_devops', 'ado-1') ON CONFLICT DO NOTHING";
        (await ExecAsync(connection, engine, string.Format(Insert, "evt_3", "conn_b"))).ShouldBe(1);
        (await ExecAsync(connection, engine, string.Format(Insert, "evt_4", "conn_a"))).ShouldBe(0);
    }

    private static async Task<int> ExecAsync(DbConnection connection, string engine, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var t = command.CreateParameter();
        t.ParameterName = "@t";
        t.Value = engine == StorageEngine.Postgres ? DateTimeOffset.UtcNow : DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'");
        command.Parameters.Add(t);
        return await command.ExecuteNonQueryAsync();
    }
}
