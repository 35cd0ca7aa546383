using System.Net;
using System.Text.RegularExpressions;

namespace AdoBridge.IntegrationTests.Infrastructure;

/// <summary>
/// An end user's browser without the browser: a cookie jar and hand-followed redirects and forms, over real HTTP, through
/// AdoBridge's connect pages and the emulator's sign-in pages. The browser test does the same in Chromium.
/// </summary>
public sealed partial class BrowserlessUser : IDisposable
{
    private readonly HttpClient http;

    public BrowserlessUser(CookieContainer? cookies = null)
    {
        Cookies = cookies ?? new CookieContainer();
        http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = Cookies, UseCookies = true });
    }

    public CookieContainer Cookies { get; }

    public HttpResponseMessage? Last { get; private set; }

    public string LastBody { get; private set; } = string.Empty;

    public async Task<HttpResponseMessage> GetAsync(string url)
    {
        Last = await http.GetAsync(url);
        LastBody = await Last.Content.ReadAsStringAsync();
        return Last;
    }

    public async Task<HttpResponseMessage> PostFormAsync(string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var content = new FormUrlEncodedContent(fields);
        // As a browser does: a form post says which origin its page came from.
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Add("Origin", new Uri(url).GetLeftPart(UriPartial.Authority));
        Last = await http.SendAsync(request);
        LastBody = await Last.Content.ReadAsStringAsync();
        return Last;
    }

    /// <summary>The absolute Location of the last redirect.</summary>
    public string Location(string relativeTo)
    {
        Last!.StatusCode.ShouldBeOneOf([HttpStatusCode.Redirect, HttpStatusCode.Found, HttpStatusCode.SeeOther, HttpStatusCode.TemporaryRedirect], LastBody);
        return new Uri(new Uri(relativeTo), Last.Headers.Location!).ToString();
    }

    /// <summary>Opens the connect link and signs in with Microsoft (the emulator) as <paramref name="upn"/>, up to the organisation picker.</summary>
    public async Task<string> SignInAsync(string connectUrl, string upn, string app = "sandbox", bool acceptConsent = true, bool legacy = false, bool followCallback = true)
    {
        (await GetAsync(connectUrl)).StatusCode.ShouldBe(HttpStatusCode.OK, LastBody);
        await PostFormAsync(connectUrl + "/start", [new("app", app)]);
        var authorize = Location(connectUrl);
        authorize.ShouldContain(legacy ? "response_type=Assertion" : "code_challenge_method=S256");

        (await GetAsync(authorize)).StatusCode.ShouldBe(HttpStatusCode.OK, LastBody);
        var (action, ctx) = Form(authorize, "pick-account");
        await PostFormAsync(action, [new("ctx", ctx), new("login", upn)]);
        if (Last!.StatusCode == HttpStatusCode.OK && LastBody.Contains("consent-form", StringComparison.Ordinal))
        {
            var (consentAction, consentCtx) = Form(action, "consent-form");
            await PostFormAsync(consentAction, [new("ctx", consentCtx), new("consent", acceptConsent ? "accept" : "cancel")]);
            action = consentAction;
        }

        var callback = Location(action);
        if (followCallback)
        {
            await GetAsync(callback);
        }

        return callback;
    }

    /// <summary>The action and hidden `ctx` of the form with the given id on the last page.</summary>
    public (string Action, string Ctx) Form(string pageUrl, string formId)
    {
        var form = Regex.Match(LastBody, $"<form[^>]*action=\"(?<action>[^\"]+)\"[^>]*id=\"{formId}\"|<form[^>]*id=\"{formId}\"[^>]*action=\"(?<action>[^\"]+)\"");
        form.Success.ShouldBeTrue($"no form {formId} in: {LastBody}");
        var ctx = CtxValue().Match(LastBody[form.Index..]);
        return (new Uri(new Uri(pageUrl), WebUtility.HtmlDecode(form.Groups["action"].Value)).ToString(), WebUtility.HtmlDecode(ctx.Groups[1].Value));
    }

    /// <summary>Sends any request as this browser (its cookies), e.g. a HEAD or a hand-made form post.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        Last = await http.SendAsync(request);
        LastBody = await Last.Content.ReadAsStringAsync();
        return Last;
    }

    public void Dispose() => http.Dispose();

    [GeneratedRegex("name=\"ctx\" value=\"([^\"]*)\"")]
    private static partial Regex CtxValue();
}
