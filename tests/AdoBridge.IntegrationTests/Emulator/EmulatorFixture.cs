using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AdoBridge.Emulator;
using Microsoft.AspNetCore.WebUtilities;

namespace AdoBridge.IntegrationTests.Emulator;

/// <summary>One emulator on a loopback port per test class, and an HttpClient that does not follow redirects.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public EmulatorHost Host { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public EmulatorState State => Host.State;

    public async Task InitializeAsync()
    {
        Host = await EmulatorHost.StartAsync();
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Host.BaseUrl };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>A registered Entra app and the flows a product runs with it, driven over HTTP like a browser would.</summary>
internal sealed partial class EntraTestApp(EmulatorFixture fx, string tenant = EmulatorDefaults.TenantId)
{
    public const string RedirectUri = "http://127.0.0.1:5999/callback";
    public static readonly string DevOpsScope = $"{EmulatorDefaults.AzureDevOpsResourceId}/.default offline_access openid";

    public string ClientId { get; } = Guid.NewGuid().ToString();
    public string SecretId { get; } = Guid.NewGuid().ToString();
    public string Secret { get; } = "secret~" + Guid.NewGuid().ToString("N");
    public string Tenant { get; set; } = tenant;
    public string Verifier { get; } = Base64Url(RandomNumberGenerator.GetBytes(48));
    public string Challenge => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));

    public EntraTestApp Register()
    {
        fx.State.RegisterEntraApp(new EntraAppRegistration(EmulatorDefaults.TenantId, ClientId, "Contoso Review Bot", [new EmulatorClientSecret(SecretId, Secret, null)], [RedirectUri]));
        return this;
    }

    public string AuthorizeUrl(string scope, string? redirectUri = RedirectUri, bool pkce = true, string state = "xyz") =>
        QueryHelpers.AddQueryString($"{EmulatorDefaults.LoginHost}/{Tenant}/oauth2/v2.0/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = ClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = redirectUri,
            ["scope"] = scope,
            ["state"] = state,
            ["code_challenge"] = pkce ? Challenge : null,
            ["code_challenge_method"] = pkce ? "S256" : null,
        }.Where(p => p.Value is not null));

    /// <summary>Opens the authorize URL, picks the account, accepts or cancels consent; returns the final response (the redirect to the app, or an error page).</summary>
    public async Task<HttpResponseMessage> SignInAsync(string upn, string? scope = null, bool acceptConsent = true, bool pkce = true)
    {
        var page = await fx.Http.GetAsync(AuthorizeUrl(scope ?? DevOpsScope, pkce: pkce));
        page.StatusCode.ShouldBe(HttpStatusCode.OK, await page.Content.ReadAsStringAsync());
        var response = await Forms.SubmitAsync(fx.Http, await page.Content.ReadAsStringAsync(), "pick-account", ("login", upn));
        var html = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.OK && html.Contains("id=\"consent-form\"", StringComparison.Ordinal))
        {
            response = await Forms.SubmitAsync(fx.Http, html, "consent-form", ("consent", acceptConsent ? "accept" : "cancel"));
        }

        return response;
    }

    public async Task<string> GetCodeAsync(string upn, string? scope = null)
    {
        var response = await SignInAsync(upn, scope);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var query = Forms.RedirectQuery(response);
        query["state"].ToString().ShouldBe("xyz");
        return query["code"].ToString();
    }

    public Task<HttpResponseMessage> RedeemAsync(string code, string? verifier = "", string redirectUri = RedirectUri, string? secret = null) =>
        TokenAsync(new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier == string.Empty ? Verifier : verifier,
            ["client_secret"] = secret ?? Secret,
        });

    public Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_secret"] = Secret });

    public Task<HttpResponseMessage> TokenAsync(Dictionary<string, string?> form)
    {
        form.TryAdd("client_id", ClientId);
        return fx.Http.PostAsync($"{EmulatorDefaults.LoginHost}/{Tenant}/oauth2/v2.0/token", new FormUrlEncodedContent(form.Where(f => f.Value is not null).Select(f => KeyValuePair.Create(f.Key, f.Value!))));
    }

    public async Task<JsonElement> SignedInTokensAsync(string upn = EmulatorDefaults.AliceUpn)
    {
        var response = await RedeemAsync(await GetCodeAsync(upn));
        return await Json.OkAsync(response);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

internal static partial class Forms
{
    /// <summary>Submits the form with the given id the way a browser would: its hidden fields plus the clicked button's value.</summary>
    public static Task<HttpResponseMessage> SubmitAsync(HttpClient http, string html, string formId, params (string Name, string Value)[] fields)
    {
        var form = FormRegex().Matches(html).First(m => m.Groups["id"].Value == formId);
        var action = WebUtility.HtmlDecode(form.Groups["action"].Value);
        var values = HiddenRegex().Matches(form.Groups["body"].Value)
            .Select(m => KeyValuePair.Create(WebUtility.HtmlDecode(m.Groups["name"].Value), WebUtility.HtmlDecode(m.Groups["value"].Value)))
            .Concat(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));
        return http.PostAsync(action, new FormUrlEncodedContent(values));
    }

    public static Dictionary<string, Microsoft.Extensions.Primitives.StringValues> RedirectQuery(HttpResponseMessage response) =>
        QueryHelpers.ParseQuery(response.Headers.Location!.Query);

    [GeneratedRegex("<form method=\"post\" action=\"(?<action>[^\"]+)\" id=\"(?<id>[^\"]+)\">(?<body>.*?)</form>", RegexOptions.Singleline)]
    private static partial Regex FormRegex();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenRegex();
}

internal static class Json
{
    public static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>The claims of a JWT (no signature check: tests only read what the emulator put in).</summary>
    public static JsonElement Claims(string jwt)
    {
        var part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Convert.FromBase64String(part)).RootElement.Clone();
    }
}

internal static class DevOps
{
    public static HttpRequestMessage Get(string path, string? bearer = null, string? pat = null, bool suppressRedirect = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (pat is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("any:" + pat)));
        }

        if (suppressRedirect)
        {
            request.Headers.Add("X-TFS-FedAuthRedirect", "Suppress");
        }

        return request;
    }

    public static string Projects(string org = EmulatorDefaults.Organization, string query = "api-version=7.1") =>
        $"{EmulatorDefaults.DevOpsHost}/{org}/_apis/projects?{query}";

    public static Task<HttpResponseMessage> PostJsonAsync<T>(HttpClient http, string path, T body) => http.PostAsJsonAsync(path, body);
}
