using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Web;
using AdoBridge.BrowserTests.Infrastructure;
using AdoBridge.Emulator;
using Microsoft.Playwright;
using ModelContextProtocol.Client;
using static Microsoft.Playwright.Assertions;

namespace AdoBridge.BrowserTests.Connect;

/// <summary>
/// An MCP client's OAuth sign-in with the pages in a real Chromium: the client side (the 401, discovery, registration,
/// PKCE, the token exchange, the tool call) over HTTP as Claude Code or VS Code does it, and the authorization URL
/// opened in the browser, where the user signs in through AdoBridge's connect pages (Microsoft's sign-in is the
/// emulator's), approves the client on the consent page, and lands on the client's loopback redirect with the code.
/// </summary>
public sealed class McpOAuthBrowserTests(ChromiumFixture fixture) : IClassFixture<ChromiumFixture>
{
    private const string RedirectUri = "http://127.0.0.1:53682/callback";
    private const string ClientName = "Claude Code (browser test)";

    private string Base => fixture.Server.BaseUrl.ToString().TrimEnd('/');

    [Fact]
    public async Task McpClient_SignsInThroughTheBrowser_ApprovesOnTheConsentPage_AndListsTools()
    {
        using var http = new HttpClient();

        // Discovery, from the 401 of /mcp to the authorization server's metadata.
        using var first = await http.PostAsJsonAsync(Base + "/mcp", new { jsonrpc = "2.0", id = 1, method = "tools/list" });
        first.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var metadataUrl = Regex.Match(first.Headers.WwwAuthenticate.ToString(), "resource_metadata=\"([^\"]+)\"").Groups[1].Value;
        var resource = await JsonAsync(await http.GetAsync(metadataUrl));
        var mcpUrl = resource.GetProperty("resource").GetString()!;
        mcpUrl.ShouldBe(Base + "/mcp");
        var issuer = resource.GetProperty("authorization_servers")[0].GetString()!;
        var server = await JsonAsync(await http.GetAsync(issuer + "/.well-known/oauth-authorization-server"));

        // Dynamic client registration (RFC 7591), as a public client.
        var registered = await JsonAsync(await http.PostAsJsonAsync(server.GetProperty("registration_endpoint").GetString(), new
        {
            client_name = ClientName,
            redirect_uris = new[] { RedirectUri },
            grant_types = new[] { "authorization_code", "refresh_token" },
            response_types = new[] { "code" },
            token_endpoint_auth_method = "none",
        }), HttpStatusCode.Created);
        var clientId = registered.GetProperty("client_id").GetString()!;

        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = server.GetProperty("authorization_endpoint").GetString() + "?" + string.Join('&',
            "response_type=code", "client_id=" + clientId, "redirect_uri=" + Uri.EscapeDataString(RedirectUri), "state=browser-state",
            "scope=mcp%20offline_access", "code_challenge=" + challenge, "code_challenge_method=S256", "resource=" + Uri.EscapeDataString(mcpUrl));

        // The browser: the client's loopback listener is played by a route that records where the browser lands.
        await using var context = await fixture.NewContextAsync();
        var landed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await context.RouteAsync(RedirectUri + "**", async route =>
        {
            landed.TrySetResult(route.Request.Url);
            await route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/html", Body = "<!doctype html><html lang=\"en\"><title>Signed in</title><h1>You can close this window</h1></html>" });
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(authorize);

        // AdoBridge's connect pages and the emulator's Microsoft sign-in.
        await Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(Base + "/connect/")));
        await page.GetByTestId("signin-sandbox").ClickAsync();
        await page.Locator($"button[data-upn='{EmulatorDefaults.AliceUpn}']").ClickAsync();
        var picker = page.GetByTestId("connect-organizations");
        await page.Locator("#accept").Or(picker).First.WaitForAsync();
        if (await page.Locator("#accept").IsVisibleAsync())
        {
            await page.Locator("#accept").ClickAsync();
        }

        await Expect(page.Locator("h1")).ToHaveTextAsync("Choose organisations");
        await page.GetByTestId("org-fabrikam").CheckAsync();
        await picker.ClickAsync();

        // The consent page names the client and where the code goes.
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Allow {ClientName}?", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("client-name")).ToHaveTextAsync(ClientName);
        await Expect(page.GetByTestId("redirect-uri")).ToHaveTextAsync(RedirectUri);
        await Accessibility.AssertAccessibleAsync(page, "mcp-oauth-consent");
        await page.GetByTestId("approve").ClickAsync();

        var back = new Uri(await landed.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        back.GetLeftPart(UriPartial.Path).ShouldBe(RedirectUri);
        var query = HttpUtility.ParseQueryString(back.Query);
        query["error"].ShouldBeNull(query["error_description"]);
        query["state"].ShouldBe("browser-state");
        var code = query["code"].ShouldNotBeNull();

        // The token exchange, with the PKCE verifier and the resource.
        var tokens = await JsonAsync(await http.PostAsync(server.GetProperty("token_endpoint").GetString(), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = clientId,
            ["code"] = code,
            ["code_verifier"] = verifier,
            ["redirect_uri"] = RedirectUri,
            ["resource"] = mcpUrl,
        })));
        tokens.GetProperty("token_type").GetString().ShouldBe("Bearer", StringCompareShould.IgnoreCase);
        var access = tokens.GetProperty("access_token").GetString()!;
        tokens.GetProperty("refresh_token").GetString().ShouldNotBeNullOrEmpty();

        // tools/list on /mcp with the token, through the official C# SDK client.
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(mcpUrl),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + access },
        });
        await using var mcp = await McpClient.CreateAsync(transport);
        var tools = await mcp.ListToolsAsync();
        tools.Select(t => t.Name).ShouldContain("list_projects");

        // The token acts as the connection the user made in the browser.
        using var api = fixture.Server.Api();
        var listed = await api.GetJsonAsync("/v1/mcp/tokens");
        var connectionId = listed.GetProperty("data").EnumerateArray().First(t => t.GetProperty("clientId").GetString() == clientId).GetProperty("connectionId").GetString();
        var connection = await api.GetJsonAsync($"/v1/connections/{connectionId}");
        connection.GetProperty("identity").GetProperty("email").GetString().ShouldBe(EmulatorDefaults.AliceUpn);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(expected, body);
            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }
}
