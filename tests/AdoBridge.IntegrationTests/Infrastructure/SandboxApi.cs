using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace AdoBridge.IntegrationTests.Infrastructure;

/// <summary>Shortcuts over a sandbox AdoBridge: connect links, its emulator's admin API.</summary>
public static class SandboxApi
{
    public static async Task<JsonElement> DetailsAsync(this AdoBridgeServer server)
    {
        using var client = server.Client();
        return await (await client.GetAsync("/v1/sandbox")).ShouldBeJsonAsync();
    }

    public static async Task<HttpClient> EmulatorAdminAsync(this AdoBridgeServer server)
    {
        var details = await server.DetailsAsync();
        var client = new HttpClient { BaseAddress = new Uri(details.GetProperty("emulatorBaseUrl").GetString()! + "_admin/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", details.GetProperty("emulatorAdminToken").GetString());
        return client;
    }

    public static async Task<JsonElement> CreateConnectSessionAsync(this HttpClient client, object body)
        => await (await client.PostAsJsonAsync("/v1/connect-sessions", body)).ShouldBeJsonAsync(System.Net.HttpStatusCode.Created);

    public static async Task<string> EmulatorBaseAsync(this AdoBridgeServer server)
        => (await server.DetailsAsync()).GetProperty("emulatorBaseUrl").GetString()!;

    /// <summary>Runs the whole Entra connect flow for a user and returns the connection id.</summary>
    public static async Task<string> ConnectWithMicrosoftAsync(this AdoBridgeServer server, string endUserId, string upn = "alice@fabrikam.onmicrosoft.com", string[]? organizations = null, string? reconnect = null, string app = "sandbox", bool legacy = false)
    {
        using var api = server.Client();
        var returnUrl = new Uri(server.BaseUrl, "/product/return").ToString();
        var session = await api.CreateConnectSessionAsync(new { endUserId, returnUrl, reconnectConnectionId = reconnect, app });
        var url = session.GetProperty("url").GetString()!;
        using var user = new BrowserlessUser();
        await user.SignInAsync(url, upn, app, legacy: legacy);
        var picker = user.Location(url);
        (await user.GetAsync(picker)).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, user.LastBody);
        await user.PostFormAsync(url + "/organizations", (organizations ?? ["fabrikam"]).Select(o => new KeyValuePair<string, string>("organizations", o)));
        var back = user.Location(url);
        back.ShouldStartWith(returnUrl);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(back).Query);
        query["status"].ShouldBe("active");
        return query["connectionId"]!;
    }
}
