using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Webhooks;

/// <summary>POST /hooks/ado/{path}: every refusal is a clear 4xx, duplicates are stored once, and a 200 means stored.</summary>
public sealed class IngestTests(ServiceHooksFixture fixture) : IClassFixture<ServiceHooksFixture>
{
    private static string Sample(string eventType) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", eventType + ".json"));

    /// <summary>Microsoft's sample with a fresh event id and a title only this test uses, so each test finds its own events.</summary>
    private static (string Body, string Marker) FreshSample(string eventType = "git.pullrequest.created", Action<JsonObject>? change = null)
    {
        var json = JsonNode.Parse(Sample(eventType))!.AsObject();
        var marker = "marker-" + Guid.NewGuid().ToString("N");
        json["id"] = Guid.NewGuid().ToString();
        json["resource"]!["title"] = marker;
        change?.Invoke(json);
        return (json.ToJsonString(), marker);
    }

    private async Task<(string Url, string Secret)> HookAsync()
    {
        var subscription = await fixture.SubscribeAsync("git.pullrequest.created");
        return await fixture.IngestOfAsync(subscription.GetProperty("hooks")[0]);
    }

    private static HttpRequestMessage Post(string url, string body, string? basicPassword = null, string? headerSecret = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (basicPassword is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("adobridge:" + basicPassword)));
        }

        if (headerSecret is not null)
        {
            request.Headers.Add("X-AdoBridge-Hook-Secret", headerSecret);
        }

        return request;
    }

    [Fact]
    public async Task UnknownPath_Answers404()
    {
        using var http = new HttpClient();

        using var response = await http.SendAsync(Post(new Uri(fixture.Server.BaseUrl, "/hooks/ado/" + new string('x', 43)).ToString(), FreshSample().Body, "secret"));

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "hook_not_found");
    }

    [Fact]
    public async Task MissingOrWrongSecret_Answers401_AndNothingIsStored()
    {
        var (url, secret) = await HookAsync();
        using var http = new HttpClient();
        var (body, id) = FreshSample();

        using var none = await http.SendAsync(Post(url, body));
        using var wrongBasic = await http.SendAsync(Post(url, body, basicPassword: secret[..^1] + (secret[^1] == 'A' ? "B" : "A")));
        using var wrongHeader = await http.SendAsync(Post(url, body, basicPassword: secret, headerSecret: "not-the-secret"));

        await none.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "hook_secret_missing");
        var problem = await wrongBasic.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "hook_secret_invalid");
        problem.ToString().ShouldNotContain(secret);
        await wrongHeader.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "hook_secret_invalid");
        (await fixture.EventsAsync("pull_request.created", 1, e => Raw(e).Contains(id, StringComparison.Ordinal))).ShouldBeEmpty();
    }

    [Fact]
    public async Task GenuineEvent_IsStoredOnce_EvenWhenAzureDevOpsRetriesIt()
    {
        var (url, secret) = await HookAsync();
        using var http = new HttpClient();
        var (body, id) = FreshSample();

        using var first = await http.SendAsync(Post(url, body, basicPassword: secret, headerSecret: secret));
        using var retry = await http.SendAsync(Post(url, body, headerSecret: secret));

        (await first.ShouldBeJsonAsync()).GetProperty("status").GetString().ShouldBe("accepted");
        (await retry.ShouldBeJsonAsync()).GetProperty("status").GetString().ShouldBe("duplicate");
        var stored = await fixture.EventsAsync("pull_request.created", 2, e => Raw(e).Contains(id, StringComparison.Ordinal));
        stored.Count.ShouldBe(1);
    }

    [Fact]
    public async Task BodyOver2MB_Answers413_WithOrWithoutContentLength()
    {
        var (url, secret) = await HookAsync();
        using var http = new HttpClient();
        var big = FreshSample(change: j => j["resource"]!["description"] = new string('a', 2 * 1024 * 1024)).Body;

        using var declared = await http.SendAsync(Post(url, big, secret));
        var chunked = Post(url, big, secret);
        chunked.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        chunked.Headers.TransferEncodingChunked = true;
        using var streamed = await http.SendAsync(chunked);

        await declared.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        await streamed.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task BodyBetween1And2MB_IsAccepted_AsAzureDevOpsMaySendIt()
    {
        var (url, secret) = await HookAsync();
        using var http = new HttpClient();
        var (body, _) = FreshSample(change: j => j["resource"]!["description"] = new string('b', 1536 * 1024));

        using var response = await http.SendAsync(Post(url, body, secret));

        (await response.ShouldBeJsonAsync()).GetProperty("status").GetString().ShouldBe("accepted");
    }

    [Theory]
    [InlineData("{\"eventType\": ", "malformed_json")]
    [InlineData("\u00ff\u00fe not json", "malformed_json")]
    [InlineData("[]", "unknown_event_shape")]
    [InlineData("{}", "unknown_event_shape")]
    [InlineData("{\"id\":\"1\",\"eventType\":\"not.an.event\",\"resource\":{}}", "unknown_event_shape")]
    public async Task MalformedOrUnknownBody_Answers400(string body, string code)
    {
        var (url, secret) = await HookAsync();
        using var http = new HttpClient();

        using var response = await http.SendAsync(Post(url, body, secret));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task ConcurrentBurst_EveryAcknowledgedEventIsStored()
    {
        var (url, secret) = await HookAsync();
        using var http = new HttpClient();
        var marker = "burst-" + Guid.NewGuid().ToString("N");
        var bodies = Enumerable.Range(0, 200).Select(i => FreshSample(change: j => j["resource"]!["title"] = $"{marker} {i}").Body).ToList();

        var answers = await Task.WhenAll(bodies.Select(async b =>
        {
            using var response = await http.SendAsync(Post(url, b, secret));
            return response.StatusCode;
        }));

        answers.ShouldAllBe(s => s == HttpStatusCode.OK);
        (await fixture.EventsAsync("pull_request.created", 200, e => Raw(e).Contains(marker, StringComparison.Ordinal))).Count.ShouldBe(200);
    }

    /// <summary>The event's normalised data as text, for finding a test's marker in the pull request's title.</summary>
    private static string Raw(JsonElement e) => e.GetProperty("data").ToString();
}
