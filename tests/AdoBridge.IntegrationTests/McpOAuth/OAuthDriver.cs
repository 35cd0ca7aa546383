using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.McpOAuth;

/// <summary>
/// An MCP client's side of the OAuth flow against a running AdoBridge, over real HTTP: registration, the authorization
/// request (the user signs in through the connect flow with the emulator's Entra and approves the consent page, as a
/// browserless user), and the token endpoint.
/// </summary>
public sealed partial class OAuthDriver(AdoBridgeServer server)
{
    public const string RedirectUri = "http://127.0.0.1:53682/callback";

    public string Base => server.BaseUrl.ToString().TrimEnd('/');

    public string Resource => Base + "/mcp";

    public static string NewVerifier() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Challenge(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    public async Task<string> RegisterAsync(string name = "Test MCP client", string redirectUri = RedirectUri)
    {
        using var http = new HttpClient();
        var response = await http.PostAsJsonAsync(Base + "/oauth/register", new { client_name = name, redirect_uris = new[] { redirectUri }, token_endpoint_auth_method = "none", grant_types = new[] { "authorization_code", "refresh_token" } });
        return (await response.ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("client_id").GetString()!;
    }

    public string AuthorizeUrl(string clientId, string? challenge, string? method = "S256", string? resource = "", string redirectUri = RedirectUri, string state = "st-1")
    {
        var query = new List<string> { "response_type=code", "client_id=" + Uri.EscapeDataString(clientId), "redirect_uri=" + Uri.EscapeDataString(redirectUri), "state=" + state, "scope=mcp%20offline_access" };
        if (challenge is not null)
        {
            query.Add("code_challenge=" + challenge);
        }

        if (method is not null && challenge is not null)
        {
            query.Add("code_challenge_method=" + method);
        }

        if (resource is not null)
        {
            query.Add("resource=" + Uri.EscapeDataString(resource.Length == 0 ? Resource : resource));
        }

        return Base + "/oauth/authorize?" + string.Join('&', query);
    }

    /// <summary>Signs in (Entra in the emulator, as <paramref name="upn"/>, organisation fabrikam) and approves; returns the redirect back to the client.</summary>
    public async Task<Uri> SignInAndApproveAsync(BrowserlessUser user, string authorizeUrl, string upn = "alice@fabrikam.onmicrosoft.com", bool approve = true)
    {
        await user.GetAsync(authorizeUrl);
        var connect = user.Location(authorizeUrl);
        connect.ShouldStartWith(Base + "/connect/");
        await user.SignInAsync(connect, upn);
        var picker = user.Location(connect);
        (await user.GetAsync(picker)).StatusCode.ShouldBe(HttpStatusCode.OK, user.LastBody);
        await user.PostFormAsync(connect + "/organizations", [new("organizations", "fabrikam")]);
        var back = user.Location(connect);
        back.ShouldStartWith(Base + "/oauth/authorize?");
        await user.GetAsync(back);
        return await ApproveAsync(user, approve);
    }

    /// <summary>On the consent page (the last page the user saw): approves or denies; returns the redirect back to the client.</summary>
    public async Task<Uri> ApproveAsync(BrowserlessUser user, bool approve = true)
    {
        user.Last!.StatusCode.ShouldBe(HttpStatusCode.OK, user.LastBody);
        user.LastBody.ShouldContain("data-testid=\"approve\"");
        var fields = Hidden().Matches(user.LastBody).Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value))).ToList();
        fields.Add(new("consent", approve ? "approve" : "deny"));
        await user.PostFormAsync(Base + "/oauth/authorize", fields);
        return new Uri(user.Location(Base));
    }

    public static string CodeOf(Uri redirect)
    {
        var query = System.Web.HttpUtility.ParseQueryString(redirect.Query);
        query["error"].ShouldBeNull($"{query["error"]}: {query["error_description"]}");
        return query["code"].ShouldNotBeNull();
    }

    public async Task<HttpResponseMessage> TokenAsync(params (string Key, string Value)[] form)
    {
        using var http = new HttpClient();
        return await http.PostAsync(Base + "/oauth/token", new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))));
    }

    public Task<HttpResponseMessage> RedeemAsync(string clientId, string code, string verifier, string? resource = "")
    {
        var form = new List<(string, string)> { ("grant_type", "authorization_code"), ("client_id", clientId), ("code", code), ("code_verifier", verifier), ("redirect_uri", RedirectUri) };
        if (resource is not null)
        {
            form.Add(("resource", resource.Length == 0 ? Resource : resource));
        }

        return TokenAsync([.. form]);
    }

    /// <summary>The whole flow for a new client: (client id, access token, refresh token).</summary>
    public async Task<(string ClientId, string AccessToken, string RefreshToken)> FullFlowAsync(string upn = "alice@fabrikam.onmicrosoft.com")
    {
        var clientId = await RegisterAsync();
        var verifier = NewVerifier();
        using var user = new BrowserlessUser();
        var code = CodeOf(await SignInAndApproveAsync(user, AuthorizeUrl(clientId, Challenge(verifier)), upn));
        var tokens = await (await RedeemAsync(clientId, code, verifier)).ShouldBeJsonAsync();
        return (clientId, tokens.GetProperty("access_token").GetString()!, tokens.GetProperty("refresh_token").GetString()!);
    }

    public static async Task<JsonElement> OAuthErrorAsync(HttpResponseMessage response, string error)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        var json = JsonDocument.Parse(body).RootElement;
        json.GetProperty("error").GetString().ShouldBe(error, body);
        return json;
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
    private static partial Regex Hidden();
}
