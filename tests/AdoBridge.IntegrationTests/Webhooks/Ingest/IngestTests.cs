using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Webhooks.Ingest;

/// <summary>POST /hooks/ado/{path}: every refusal is a clear 4xx, duplicates are stored once, and a 200 means stored.</summary>
public sealed class IngestTests(ServiceHooksFixture fixture) : IClassFixture<ServiceHooksFixture>
{
    private string projectId = string.Empty;

    /// <summary>Microsoft's sample re-targeted to the sandbox project, with a fresh event id and a title only this test
    /// uses, so each test finds its own events.</summary>
    private (string Body, string Marker) FreshSample(string eventType = "git.pullrequest.created", Action<JsonObject>? change = null)
    {
        var json = SandboxPayloads.Retarget(SandboxPayloads.Sample(eventType + ".json"), projectId);
        var marker = "marker-" + Guid.NewGuid().ToString("N");
        json["resource"]!["title"] = marker;
        change?.Invoke(json);
        return (json.ToJsonString(), marker);
    }

    private async Task<(string Url, string Secret)> HookAsync()
    {
        var subscription = await fixture.SubscribeAsync("git.pullrequest.created");
        projectId = ServiceHooksFixture.ProjectIdOf(subscription);
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
    public async Task WrongBasicAuthUserName_Answers401LikeAWrongSecret_AndNothingIsStored()
    {
        var (url, secret) = await HookAsync();
        using var http = new HttpClient();
        var (body, marker) = FreshSample();

        using var response = await http.SendAsync(SandboxPayloads.Post(url, body, secret, user: "someone-else"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "hook_secret_invalid");
        problem.ToString().ShouldNotContain(secret);
        (await fixture.EventsAsync("pull_request.created", 1, e => Raw(e).Contains(marker, StringComparison.Ordinal))).ShouldBeEmpty();
    }

    [Fact]
    public async Task PayloadOfAnotherEventType_Answers400EventTypeMismatch_AndNothingIsStored()
    {
        var (url, secret) = await HookAsync();
        using var http = new HttpClient();
        var workItem = SandboxPayloads.Retarget(SandboxPayloads.Sample("workitem.deleted.json"), projectId);

        using var response = await http.SendAsync(SandboxPayloads.Post(url, workItem.ToJsonString(), secret));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "event_type_mismatch");
        problem.GetProperty("detail").GetString()!.ShouldContain("git.pullrequest.created");
        var id = workItem["id"]!.GetValue<string>();
        (await fixture.EventsAsync("work_item.deleted", 1, e => e.GetProperty("azureDevOpsEventId").GetString() == id)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("project")]
    [InlineData("collection")]
    [InlineData("no project")]
    public async Task PayloadFromAnotherProjectOrCollection_Answers400ResourceMismatch_AndNothingIsStored(string differs)
    {
        var (url, secret) = await HookAsync();
        using var http = new HttpClient();
        var (body, marker) = FreshSample(change: j =>
        {
            var containers = j["resourceContainers"]!.AsObject();
            switch (differs)
            {
                case "project":
                    containers["project"]!["id"] = Guid.NewGuid().ToString();
                    break;
                case "collection":
                    containers["collection"]!["id"] = Guid.NewGuid().ToString();
                    break;
                default:
                    containers.Remove("project");
                    j["resource"]!["repository"]!.AsObject().Remove("project");
                    break;
            }
        });

        using var response = await http.SendAsync(SandboxPayloads.Post(url, body, secret));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "resource_mismatch");
        (await fixture.EventsAsync("pull_request.created", 1, e => Raw(e).Contains(marker, StringComparison.Ordinal))).ShouldBeEmpty();
    }

    [Fact]
    public async Task PayloadAboutAnotherRepository_ToARepositoryScopedHook_Answers400ResourceMismatch()
    {
        using var api = fixture.Server.Client();
        var subscription = await (await api.PostAsJsonAsync(fixture.Subscriptions, new
        {
            organization = "fabrikam", project = ServiceHooksFixture.Project, repository = ServiceHooksFixture.Repository, events = new[] { "git.push" },
        })).ShouldBeJsonAsync(HttpStatusCode.Created);
        projectId = ServiceHooksFixture.ProjectIdOf(subscription);
        var (url, secret) = await fixture.IngestOfAsync(subscription.GetProperty("hooks")[0]);
        var push = SandboxPayloads.Retarget(SandboxPayloads.Sample("git.push.json"), projectId);
        using var http = new HttpClient();

        using var other = await http.SendAsync(SandboxPayloads.Post(url, push.ToJsonString(), secret));
        push["resource"]!["repository"]!["id"] = subscription.GetProperty("repository").GetProperty("id").GetString();
        push["id"] = Guid.NewGuid().ToString();
        using var own = await http.SendAsync(SandboxPayloads.Post(url, push.ToJsonString(), secret));

        await other.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "resource_mismatch");
        (await own.ShouldBeJsonAsync()).GetProperty("status").GetString().ShouldBe("accepted");
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
