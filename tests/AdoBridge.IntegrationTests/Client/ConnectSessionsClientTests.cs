using System.Web;
using AdoBridge.Client;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Client;

[Collection(ClientTestsCollection.Name)]
public sealed class ConnectSessionsClientTests(SandboxServerFixture fixture)
{
    private AdoBridgeServer Server => fixture.Server;

    [Fact]
    public async Task ConnectSession_FinishedByTheUser_GivesAnActiveEntraConnectionAndAnEvent()
    {
        var client = Server.BridgeClient();

        var session = await client.ConnectSessions.CreateAsync(new CreateConnectSessionRequest { EndUserId = "session-user", EndUserDisplayName = "Session User", ReturnUrl = Server.ReturnUrl() });
        var back = await BridgeClients.FinishInBrowserAsync(session);

        session.Id.ShouldNotBeNullOrEmpty();
        session.ExpiresAt.ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        session.ToString().ShouldNotContain(session.Url.ToString());
        back.ToString().ShouldStartWith(Server.ReturnUrl().ToString());
        var query = HttpUtility.ParseQueryString(back.Query);
        query["status"].ShouldBe(ConnectionStatus.Active);
        var connection = await client.Connections.GetAsync(query["connectionId"]!);
        connection.Status.ShouldBe(ConnectionStatus.Active);
        connection.AuthType.ShouldBe(AuthType.Entra);
        connection.EndUserId.ShouldBe("session-user");
        connection.EndUserDisplayName.ShouldBe("Session User");
        connection.Organizations.ShouldBe(["fabrikam"]);
        connection.Identity!.Email.ShouldBe("alice@fabrikam.onmicrosoft.com");
        connection.AccessTokenExpiresAt!.Value.ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        var events = await client.Events.ListAsync(new EventQuery { ConnectionId = connection.Id, Type = EventTypes.ConnectionCreated });
        events.Items.ShouldHaveSingleItem().ConnectionId.ShouldBe(connection.Id);
    }

    [Fact]
    public async Task ConnectSession_ReturnUrlNotAllowed_ThrowsWithTheCode()
    {
        var client = Server.BridgeClient();

        var e = await client.ConnectSessions.CreateAsync(new CreateConnectSessionRequest { EndUserId = "u", ReturnUrl = new Uri("https://evil.example/steal") })
            .ShouldFailWithAsync(400, "return_url_not_allowed");

        e.Detail!.ShouldContain("allowedReturnUrls");
    }

    [Fact]
    public async Task ConnectSession_ReconnectUnknownConnection_ThrowsConnectionNotFound()
    {
        var client = Server.BridgeClient();

        await client.ConnectSessions.CreateAsync(new CreateConnectSessionRequest { EndUserId = "u", ReconnectConnectionId = "conn_missing" })
            .ShouldFailWithAsync(404, "connection_not_found");
    }
}
