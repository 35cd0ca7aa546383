using System.Net;
using System.Net.Http.Json;
using AdoBridge.Client;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Client;

/// <summary>AdoBridgeClient over a test server, and the end-user and emulator steps the client tests need.</summary>
internal static class BridgeClients
{
    // One HttpClient for every client, as a product keeps one per process; the base address and key come from the options.
    private static readonly HttpClient Http = new();

    public static AdoBridgeClient BridgeClient(this AdoBridgeServer server, string apiKey = AdoBridgeServer.BootstrapKey)
        => new(Http, new AdoBridgeClientOptions { BaseAddress = server.BaseUrl, ApiKey = apiKey });

    public static Uri ReturnUrl(this AdoBridgeServer server) => new(server.BaseUrl, "/product/return");

    /// <summary>A PAT for a seeded user, minted by the emulator.</summary>
    public static async Task<string> NewPatAsync(this AdoBridgeServer server, params string[] scopes)
    {
        using var admin = await server.EmulatorAdminAsync();
        var created = await (await admin.PostAsJsonAsync("pats", new { userPrincipalName = "alice@fabrikam.onmicrosoft.com", scopes }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        return created.GetProperty("value").GetString()!;
    }

    /// <summary>The end user's part: opens the connect link, signs in with Microsoft, picks organisations; returns where they were sent back.</summary>
    public static async Task<Uri> FinishInBrowserAsync(ConnectSession session, string upn = "alice@fabrikam.onmicrosoft.com", params string[] organizations)
    {
        var url = session.Url.ToString();
        using var user = new BrowserlessUser();
        await user.SignInAsync(url, upn);
        (await user.GetAsync(user.Location(url))).StatusCode.ShouldBe(HttpStatusCode.OK, user.LastBody);
        await user.PostFormAsync(url + "/organizations", (organizations.Length == 0 ? ["fabrikam"] : organizations).Select(o => new KeyValuePair<string, string>("organizations", o)));
        return new Uri(user.Location(url));
    }

    /// <summary>Asserts that the call fails with AdoBridge problem details of this status and code.</summary>
    public static async Task<AdoBridgeApiException> ShouldFailWithAsync(this Task call, int status, string code)
    {
        var e = await Should.ThrowAsync<AdoBridgeApiException>(call);
        e.Status.ShouldBe(status, e.Message);
        e.Code.ShouldBe(code, e.Message);
        e.Title.ShouldNotBeNullOrEmpty();
        e.Detail.ShouldNotBeNullOrEmpty();
        return e;
    }
}
