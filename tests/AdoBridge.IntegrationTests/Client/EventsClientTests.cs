using System.Text.Json;
using AdoBridge.Client;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Client;

[Collection(ClientTestsCollection.Name)]
public sealed class EventsClientTests(SandboxServerFixture fixture)
{
    private AdoBridgeServer Server => fixture.Server;

    [Fact]
    public async Task ListAllAsync_OneEventPerPage_ReturnsTheConnectionsLifecycleInOrder()
    {
        var client = Server.BridgeClient();
        var pat = await Server.NewPatAsync("vso.project");
        var connection = await client.Connections.CreateAsync(CreateConnectionRequest.ForPat("evented", "fabrikam", pat));
        await client.Connections.DeleteAsync(connection.Id);

        var events = await client.Events.ListAllAsync(new EventQuery { ConnectionId = connection.Id, Limit = 1 }).ToListAsync();

        events.Select(e => e.Type).ShouldBe([EventTypes.ConnectionCreated, EventTypes.ConnectionDeleted]);
        events.ShouldAllBe(e => e.ConnectionId == connection.Id && e.Data.ValueKind == JsonValueKind.Object);
        string.CompareOrdinal(events[0].Id, events[1].Id).ShouldBeLessThan(0);
        events.ShouldAllBe(e => !e.Data.GetRawText().Contains(pat));
    }

    [Fact]
    public async Task List_FilterByType_OnlyThatType()
    {
        var client = Server.BridgeClient();
        var pat = await Server.NewPatAsync("vso.project");
        await client.Connections.CreateAsync(CreateConnectionRequest.ForPat("typed", "fabrikam", pat));

        var page = await client.Events.ListAsync(new EventQuery { Type = EventTypes.ConnectionCreated });

        page.Items.ShouldNotBeEmpty();
        page.Items.ShouldAllBe(e => e.Type == EventTypes.ConnectionCreated);
    }

    [Fact]
    public async Task List_LimitOutOfRange_ThrowsInvalidFilter()
    {
        var client = Server.BridgeClient();

        await client.Events.ListAsync(new EventQuery { Limit = 501 }).ShouldFailWithAsync(400, "invalid_filter");
    }
}
