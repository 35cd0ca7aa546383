using System.Net;
using System.Net.Http.Json;
using System.Text;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Connect;

/// <summary>Whatever is posted to a connect page, the answer is the page with a message a person understands, never a 500 or JSON.</summary>
public sealed class ConnectFormInputTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    public static TheoryData<string, string> BadPosts => new()
    {
        { "json instead of a form", "json" },
        { "plain text", "text" },
        { "no content type", "none" },
        { "multipart without a boundary", "multipart-no-boundary" },
        { "damaged multipart", "multipart-damaged" },
        { "1,025 fields", "too-many-fields" },
        { "a NUL byte in a value", "nul" },
        { "CR LF in a value", "crlf" },
        { "a 100 KB token", "huge-pat" },
        { "a 100 KB organisation", "huge-organization" },
    };

    [Theory]
    [MemberData(nameof(BadPosts))]
    public async Task BadPostToThePatForm_AnswersThePageWithAMessage(string what, string variant)
    {
        var url = await NewLinkAsync();
        using var user = new BrowserlessUser();

        using var response = await user.SendAsync(Post(url + "/pat", variant));

        ShouldBeAPageWithAMessage(response, user.LastBody, what);
        if (variant == "huge-pat")
        {
            user.LastBody.ShouldContain("The personal access token is 102,400 characters long");
        }
    }

    [Theory]
    [MemberData(nameof(BadPosts))]
    public async Task BadPostToTheSignInButton_AnswersThePageWithAMessage(string what, string variant)
    {
        var url = await NewLinkAsync();
        using var user = new BrowserlessUser();

        using var response = await user.SendAsync(Post(url + "/start", variant));

        ShouldBeAPageWithAMessage(response, user.LastBody, what);
        response.Headers.Contains("Set-Cookie").ShouldBeFalse("a post that is not the page's form binds no browser");
    }

    [Theory]
    [MemberData(nameof(BadPosts))]
    public async Task BadPostToTheOrganisationPicker_AnswersThePageWithAMessage(string what, string variant)
    {
        var url = await NewLinkAsync();
        using var user = new BrowserlessUser();
        await user.SignInAsync(url, "alice@fabrikam.onmicrosoft.com");

        using var response = await user.SendAsync(Post(url + "/organizations", variant));

        ShouldBeAPageWithAMessage(response, user.LastBody, what);
        if (variant is "huge-pat" or "huge-organization")
        {
            user.LastBody.ShouldContain("102,400 characters; no field on this page takes more than 2,048");
        }
    }

    [Fact]
    public async Task HugePatThroughTheApi_IsNamedAsAPatProblem()
    {
        using var api = fixture.Server.Client();

        using var response = await api.PostAsJsonAsync("/v1/connections", new { type = "pat", endUserId = "big", organization = "fabrikam", pat = new string('a', 100 * 1024) });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_pat");
        var detail = problem.GetProperty("detail").GetString()!;
        detail.ShouldContain("personal access token is 102,400 characters long");
        detail.ShouldNotContain("service", Case.Insensitive);
    }

    [Fact]
    public async Task PatWithANulByteThroughTheApi_IsNamedAsAPatProblem()
    {
        using var api = fixture.Server.Client();

        using var response = await api.PostAsJsonAsync("/v1/connections", new { type = "pat", endUserId = "nul", organization = "fabrikam", pat = "abc\0def" });

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_pat")).GetProperty("detail").GetString()!.ShouldContain("control character");
    }

    private static void ShouldBeAPageWithAMessage(HttpResponseMessage response, string body, string what)
    {
        ((int)response.StatusCode).ShouldBeInRange(400, 499, $"{what}: {body}");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html", what);
        body.ShouldContain("role=\"alert\"", Case.Sensitive, what);
        body.ShouldNotContain("Exception", Case.Sensitive, what);
    }

    private static HttpRequestMessage Post(string url, string variant)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Headers.Add("Origin", new Uri(url).GetLeftPart(UriPartial.Authority));
        request.Content = variant switch
        {
            "json" => new StringContent("{\"organization\":\"fabrikam\",\"pat\":\"x\"}", Encoding.UTF8, "application/json"),
            "text" => new StringContent("organization=fabrikam&pat=x", Encoding.UTF8, "text/plain"),
            "none" => new ByteArrayContent("organization=fabrikam"u8.ToArray()),
            "multipart-no-boundary" => Raw("--x\r\nContent-Disposition: form-data; name=\"pat\"\r\n\r\nabc\r\n--x--\r\n", "multipart/form-data"),
            "multipart-damaged" => Raw("--x\r\nContent-Disposition: form-data; name=\"pat\"\r\n\r\nabc-and-no-closing-boundary", "multipart/form-data; boundary=x"),
            "too-many-fields" => Raw(string.Join('&', Enumerable.Range(0, 1025).Select(i => $"f{i}=v")), "application/x-www-form-urlencoded"),
            "nul" => Raw("organization=fab%00rikam&pat=abc%00def&app=sandbox&organizations=fab%00rikam", "application/x-www-form-urlencoded"),
            "crlf" => Raw("organization=fab%0d%0arikam&pat=abc%0d%0adef&app=sandbox&organizations=fab%0d%0arikam", "application/x-www-form-urlencoded"),
            "huge-pat" => Raw("organization=fabrikam&pat=" + new string('a', 100 * 1024), "application/x-www-form-urlencoded"),
            "huge-organization" => Raw("organization=" + new string('f', 100 * 1024) + "&pat=abc&organizations=" + new string('f', 100 * 1024), "application/x-www-form-urlencoded"),
            _ => throw new ArgumentOutOfRangeException(nameof(variant)),
        };
        if (variant == "none")
        {
            request.Content.Headers.ContentType = null;
        }

        return request;
    }

    private static ByteArrayContent Raw(string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private async Task<string> NewLinkAsync()
    {
        using var api = fixture.Server.Client();
        return (await api.CreateConnectSessionAsync(new { endUserId = "form-tester" })).GetProperty("url").GetString()!;
    }
}
