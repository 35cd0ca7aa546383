using System.Net;
using System.Net.Http.Json;
using AdoBridge.Client;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Client;

[Collection(ClientTestsCollection.Name)]
public sealed class ConnectionsClientTests(SandboxServerFixture fixture)
{
    private AdoBridgeServer Server => fixture.Server;

    private async Task<(Connection Connection, string Pat)> NewPatConnectionAsync(AdoBridgeClient client, string endUserId)
    {
        var pat = await Server.NewPatAsync("vso.project", "vso.code");
        return (await client.Connections.CreateAsync(CreateConnectionRequest.ForPat(endUserId, "fabrikam", pat)), pat);
    }

    [Fact]
    public async Task ListAllAsync_MoreConnectionsThanThePageSize_WalksEveryPageInOrder()
    {
        var client = Server.BridgeClient();
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await NewPatConnectionAsync(client, "pager")).Connection.Id);
        }

        var query = new ConnectionQuery { EndUserId = "pager", Limit = 2 };
        var first = await client.Connections.ListAsync(query);
        var all = await client.Connections.ListAllAsync(query).ToListAsync();

        first.Items.Count.ShouldBe(2);
        first.NextCursor.ShouldNotBeNull();
        all.Select(c => c.Id).ShouldBe(created);
        all.ShouldAllBe(c => c.AuthType == AuthType.Pat && c.Status == ConnectionStatus.Active);
        (await client.Connections.ListAllAsync(query with { AuthType = AuthType.Entra }).ToListAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task GetThenDelete_DeletedConnectionIsNotFound()
    {
        var client = Server.BridgeClient();
        var (connection, _) = await NewPatConnectionAsync(client, "deleter");

        var fetched = await client.Connections.GetAsync(connection.Id);
        (fetched.Id, fetched.EndUserId, fetched.Status, fetched.UpdatedAt).ShouldBe((connection.Id, "deleter", ConnectionStatus.Active, connection.UpdatedAt));
        fetched.Organizations.ShouldBe(connection.Organizations);
        await client.Connections.DeleteAsync(connection.Id);

        var e = await client.Connections.GetAsync(connection.Id).ShouldFailWithAsync(404, "connection_not_found");
        e.Detail!.ShouldContain(connection.Id);
        await client.Connections.DeleteAsync(connection.Id).ShouldFailWithAsync(404, "connection_not_found");
    }

    [Fact]
    public async Task GetAccessToken_Pat_WorksAgainstAzureDevOpsAndNeverPrints()
    {
        var client = Server.BridgeClient();
        var (connection, pat) = await NewPatConnectionAsync(client, "token-user");

        var token = await client.Connections.GetAccessTokenAsync(connection.Id);

        token.Token.ShouldBe(pat);
        token.TokenType.ShouldBe(TokenTypes.Pat);
        token.ConnectionId.ShouldBe(connection.Id);
        token.ToString().ShouldNotContain(pat);
        var sandbox = await client.GetSandboxAsync();
        using var ado = new HttpClient();
        ado.DefaultRequestHeaders.Authorization = token.ToAuthorizationHeader();
        var projects = await ado.GetAsync(sandbox.OrganizationUrl.TrimEnd('/') + "/_apis/projects?api-version=7.1");
        projects.StatusCode.ShouldBe(HttpStatusCode.OK, await projects.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CreatePat_Rejected_ThrowsWithoutEchoingThePat()
    {
        var client = Server.BridgeClient();
        const string pat = "notarealtoken0123456789abcdefghijklmnopqrstuv";
        var request = CreateConnectionRequest.ForPat("x", "fabrikam", pat);

        var e = await client.Connections.CreateAsync(request).ShouldFailWithAsync(400, "pat_rejected");

        e.ToString().ShouldNotContain(pat);
        request.ToString().ShouldNotContain(pat);
    }

    [Fact]
    public async Task RefreshAndAccessToken_Entra_RenewAndHandOutABearerToken()
    {
        var id = await Server.ConnectWithMicrosoftAsync("refresher");
        var client = Server.BridgeClient();

        var refreshed = await client.Connections.RefreshAsync(id);
        var token = await client.Connections.GetAccessTokenAsync(id);

        refreshed.Status.ShouldBe(ConnectionStatus.Active);
        refreshed.LastRefreshedAt.ShouldNotBeNull();
        token.TokenType.ShouldBe(TokenTypes.Bearer);
        token.ExpiresAt!.Value.ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        token.ToAuthorizationHeader().Scheme.ShouldBe("Bearer");
    }

    [Fact]
    public async Task Refresh_RevokedGrant_ThrowsNeedsReauth_AndAReconnectSessionRestoresTheSameConnection()
    {
        var id = await Server.ConnectWithMicrosoftAsync("revoked-client-user", upn: "bob@fabrikam.onmicrosoft.com");
        var client = Server.BridgeClient();
        var clientId = (await client.Admin.Apps.GetAsync("sandbox")).ClientId;
        using (var emulator = await Server.EmulatorAdminAsync())
        {
            (await emulator.PostAsJsonAsync("grants/revoke", new { userPrincipalName = "bob@fabrikam.onmicrosoft.com", clientId })).EnsureSuccessStatusCode();
        }

        var e = await client.Connections.RefreshAsync(id).ShouldFailWithAsync(409, "connection_needs_reauth");

        e.ConnectionStatus.ShouldBe(ConnectionStatus.NeedsReauth);
        e.AzureErrorCode.ShouldBe("AADSTS50173");
        e.Extensions.ContainsKey("traceId").ShouldBeTrue();
        (await client.Connections.GetAsync(id)).Status.ShouldBe(ConnectionStatus.NeedsReauth);
        await client.Connections.GetAccessTokenAsync(id).ShouldFailWithAsync(409, "connection_needs_reauth");

        var session = await client.ConnectSessions.CreateAsync(new CreateConnectSessionRequest { EndUserId = "revoked-client-user", ReconnectConnectionId = id, ReturnUrl = Server.ReturnUrl() });
        var back = await BridgeClients.FinishInBrowserAsync(session, "bob@fabrikam.onmicrosoft.com");

        System.Web.HttpUtility.ParseQueryString(back.Query)["connectionId"].ShouldBe(id);
        (await client.Connections.GetAsync(id)).Status.ShouldBe(ConnectionStatus.Active);
        (await client.Events.ListAsync(new EventQuery { ConnectionId = id, Type = EventTypes.ConnectionReconnected })).Items.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task List_InvalidStatusFilter_ThrowsInvalidFilter()
    {
        var client = Server.BridgeClient();

        await client.Connections.ListAsync(new ConnectionQuery { Status = "sleeping" }).ShouldFailWithAsync(400, "invalid_filter");
    }
}
