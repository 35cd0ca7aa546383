using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace AdoBridge.BrowserTests.Infrastructure;

/// <summary>What the product back end does around the browser: create connect links, read connections, steer the emulator.</summary>
public static class ProductApi
{
    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return await ReadJsonAsync(response, HttpStatusCode.OK);
    }

    /// <summary>Creates a connect session and returns its `url`, the link the product sends its end user to.</summary>
    public static async Task<string> CreateConnectLinkAsync(this HttpClient client, string endUserId, string returnUrl)
    {
        using var response = await client.PostAsJsonAsync("/v1/connect-sessions", new { endUserId, returnUrl });
        var session = await ReadJsonAsync(response, HttpStatusCode.Created);
        return session.GetProperty("url").GetString()!;
    }

    /// <summary>Makes the user meet Microsoft's consent prompt again for the sandbox app.</summary>
    public static async Task RemoveConsentAsync(this HttpClient client, string userPrincipalName)
    {
        var sandbox = await client.GetJsonAsync("/v1/sandbox");
        var clientId = (await client.GetJsonAsync("/v1/admin/apps/sandbox")).GetProperty("clientId").GetString();
        using var emulator = new HttpClient { BaseAddress = new Uri(sandbox.GetProperty("emulatorBaseUrl").GetString()! + "_admin/") };
        emulator.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.GetProperty("emulatorAdminToken").GetString());
        using var response = await emulator.PostAsJsonAsync("consents/remove", new { userPrincipalName, clientId });
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Revokes the user's grant to the sandbox app, as an Entra admin would: the next refresh fails and the connection needs re-authorisation.</summary>
    public static async Task RevokeGrantAsync(this HttpClient client, string userPrincipalName)
    {
        var sandbox = await client.GetJsonAsync("/v1/sandbox");
        var clientId = (await client.GetJsonAsync("/v1/admin/apps/sandbox")).GetProperty("clientId").GetString();
        using var emulator = new HttpClient { BaseAddress = new Uri(sandbox.GetProperty("emulatorBaseUrl").GetString()! + "_admin/") };
        emulator.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.GetProperty("emulatorAdminToken").GetString());
        using var response = await emulator.PostAsJsonAsync("grants/revoke", new { userPrincipalName, clientId });
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
