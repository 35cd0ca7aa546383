using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Webhooks.Subscriptions;

/// <summary>Subscriptions create real service hooks in the emulator, which then fire real HTTP requests at ingest.</summary>
public sealed class SubscriptionsTests(ServiceHooksFixture fixture) : IClassFixture<ServiceHooksFixture>
{
    private static IEnumerable<JsonElement> Hooks(JsonElement subscription) => subscription.GetProperty("hooks").EnumerateArray();

    private async Task<JsonElement> AzureSubscriptionAsync(HttpClient api, string azureId)
        => await (await api.GetAsync($"{fixture.Proxy}/_apis/hooks/subscriptions/{azureId}?api-version=7.1")).ShouldBeJsonAsync();

    private async Task CreateWorkItemAsync(HttpClient api, string title)
    {
        using var content = new StringContent($$"""[{"op":"add","path":"/fields/System.Title","value":"{{title}}"}]""", System.Text.Encoding.UTF8, "application/json-patch+json");
        (await api.PostAsync($"{fixture.Proxy}/{ServiceHooksFixture.Project}/_apis/wit/workitems/$Task?api-version=7.1", content)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Create_MakesOneServiceHookPerEvent_EachWithItsOwnUrlAndSecret()
    {
        using var api = fixture.Server.Client();

        var subscription = await fixture.SubscribeAsync("git.pullrequest.created", "pull_request.commented", "workitem.updated");

        subscription.GetProperty("status").GetString().ShouldBe("active");
        subscription.GetProperty("project").GetProperty("name").GetString().ShouldBe(ServiceHooksFixture.Project);
        var hooks = Hooks(subscription).ToList();
        hooks.Select(h => h.GetProperty("eventType").GetString()).ShouldBe(["git.pullrequest.created", "ms.vss-code.git-pullrequest-comment-event", "workitem.updated"], ignoreOrder: true);
        hooks.ShouldAllBe(h => h.GetProperty("azureStatus").GetString() == "enabled");
        var azure = new List<JsonElement>();
        foreach (var hook in hooks)
        {
            azure.Add(await AzureSubscriptionAsync(api, hook.GetProperty("azureSubscriptionId").GetString()!));
        }

        azure.Select(a => a.GetProperty("consumerInputs").GetProperty("url").GetString()).Distinct().Count().ShouldBe(3);
        var secrets = new List<string>();
        foreach (var hook in hooks)
        {
            secrets.Add((await fixture.IngestOfAsync(hook)).Secret);
        }

        secrets.Distinct().Count().ShouldBe(3);

        // The secret is only in the input Azure DevOps keeps confidential: whoever lists subscriptions sees it masked.
        azure.ShouldAllBe(a => a.GetProperty("consumerInputs").GetProperty("basicAuthPassword").GetString() == "********");
        azure.Select(a => a.GetProperty("consumerInputs").TryGetProperty("httpHeaders", out var headers)).ShouldAllBe(present => !present);
        azure.ShouldAllBe(a => secrets.All(secret => !a.ToString().Contains(secret, StringComparison.Ordinal)));
        azure.ShouldAllBe(a => a.GetProperty("consumerInputs").GetProperty("url").GetString()!.Contains("/hooks/ado/"));
        azure.ShouldAllBe(a => a.GetProperty("publisherInputs").GetProperty("projectId").GetString() == subscription.GetProperty("project").GetProperty("id").GetString());
        azure.Single(a => a.GetProperty("eventType").GetString() == "ms.vss-code.git-pullrequest-comment-event").GetProperty("resourceVersion").GetString().ShouldBe("2.0");
        subscription.ToString().ShouldNotContain("/hooks/ado/");
    }

    [Fact]
    public async Task PullRequestCreatedThroughTheProxy_ArrivesAsANormalisedEvent()
    {
        using var api = fixture.Server.Client();
        await fixture.SubscribeAsync("git.pullrequest.created");

        (await api.PostAsJsonAsync($"{fixture.Proxy}/{ServiceHooksFixture.Project}/_apis/git/repositories/{ServiceHooksFixture.Repository}/pullrequests?api-version=7.1",
            new { sourceRefName = "refs/heads/users/bob/readme-typo", targetRefName = "refs/heads/main", title = "Hooked: fix README typo" })).EnsureSuccessStatusCode();

        var e = (await fixture.EventsAsync("pull_request.created", 1, x => x.GetProperty("data").ToString().Contains("Hooked: fix README typo"))).ShouldHaveSingleItem();
        e.GetProperty("connectionId").GetString().ShouldBe(fixture.ConnectionId);
    }

    [Theory]
    [InlineData("{\"organization\":\"fabrikam\",\"project\":\"Fabrikam-Fiber-Git\",\"events\":[\"git.pullrequest.exploded\"]}", HttpStatusCode.BadRequest, "invalid_field")]
    [InlineData("{\"organization\":\"fabrikam\",\"project\":\"Fabrikam-Fiber-Git\",\"events\":[]}", HttpStatusCode.BadRequest, "invalid_field")]
    [InlineData("{\"organization\":\"fabrikam\",\"events\":[\"git.push\"]}", HttpStatusCode.BadRequest, "invalid_field")]
    [InlineData("{\"organization\":\"fabrikam\",\"project\":\"Fabrikam-Fiber-Git\",\"repository\":\"Fabrikam-Fiber-Git\",\"events\":[\"workitem.created\"]}", HttpStatusCode.BadRequest, "invalid_field")]
    [InlineData("{\"organization\":\"fabrikam\",\"project\":\"No-Such-Project\",\"events\":[\"git.push\"]}", HttpStatusCode.NotFound, "project_not_found")]
    [InlineData("{\"organization\":\"fabrikam\",\"project\":\"Fabrikam-Fiber-Git\",\"repository\":\"nope\",\"events\":[\"git.push\"]}", HttpStatusCode.NotFound, "repository_not_found")]
    [InlineData("{\"organization\":\"contoso\",\"project\":\"Fabrikam-Fiber-Git\",\"events\":[\"git.push\"]}", HttpStatusCode.NotFound, "organization_not_in_connection")]
    public async Task Create_BadInput_IsRefusedWithWhatToFix_AndCreatesNothing(string body, HttpStatusCode status, string code)
    {
        using var api = fixture.Server.Client();
        var before = (await (await api.GetAsync(fixture.Subscriptions)).ShouldBeJsonAsync()).GetProperty("items").GetArrayLength();

        using var response = await api.PostAsync(fixture.Subscriptions, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(status, code);
        (await (await api.GetAsync(fixture.Subscriptions)).ShouldBeJsonAsync()).GetProperty("items").GetArrayLength().ShouldBe(before);
    }

    [Fact]
    public async Task Delete_RemovesTheHooksInAzureDevOps_AndTheirIngestUrlsStopWorking()
    {
        using var api = fixture.Server.Client();
        var subscription = await fixture.SubscribeAsync("git.push");
        var hook = Hooks(subscription).Single();
        var (url, secret) = await fixture.IngestOfAsync(hook);

        (await api.DeleteAsync($"{fixture.Subscriptions}/{subscription.GetProperty("id").GetString()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        using var azure = await api.GetAsync($"{fixture.Proxy}/_apis/hooks/subscriptions/{hook.GetProperty("azureSubscriptionId").GetString()}?api-version=7.1");
        azure.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent("{}") };
        request.Headers.Add("X-AdoBridge-Hook-Secret", secret);
        await (await http.SendAsync(request)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "hook_not_found");
        await (await api.GetAsync($"{fixture.Subscriptions}/{subscription.GetProperty("id").GetString()}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "subscription_not_found");
    }

    [Theory]
    [InlineData("onProbation")]
    [InlineData("disabledBySystem")]
    [InlineData("deleted")]
    public async Task Check_RepairsAHookThatIsNotEnabled_AndRecordsThatEventsMayBeMissed(string broken)
    {
        using var api = fixture.Server.Client();
        using var emulator = await fixture.Server.EmulatorAdminAsync();
        var subscription = await fixture.SubscribeAsync("workitem.created");
        var id = subscription.GetProperty("id").GetString()!;
        var azureId = Hooks(subscription).Single().GetProperty("azureSubscriptionId").GetString()!;
        if (broken == "deleted")
        {
            (await api.DeleteAsync($"{fixture.Proxy}/_apis/hooks/subscriptions/{azureId}?api-version=7.1")).EnsureSuccessStatusCode();
        }
        else
        {
            (await emulator.PostAsJsonAsync($"hooks/subscriptions/{azureId}/status", new { status = broken })).EnsureSuccessStatusCode();
        }

        var checkedView = await (await api.PostAsync($"{fixture.Subscriptions}/{id}/check", null)).ShouldBeJsonAsync();

        checkedView.GetProperty("status").GetString().ShouldBe("active");
        checkedView.GetProperty("eventsMayBeMissedSince").ValueKind.ShouldBe(JsonValueKind.String);
        checkedView.GetProperty("repairs").EnumerateArray().ShouldHaveSingleItem().GetString()!.ShouldContain(broken == "deleted" ? "missing" : broken);
        var newAzureId = Hooks(checkedView).Single().GetProperty("azureSubscriptionId").GetString()!;
        newAzureId.ShouldNotBe(azureId);
        (await AzureSubscriptionAsync(api, newAzureId)).GetProperty("status").GetString().ShouldBe("enabled");
        (await fixture.EventsAsync("subscription.repaired", 1, e => e.GetProperty("data").GetProperty("subscriptionId").GetString() == id)).ShouldHaveSingleItem();

        var title = "After repair " + broken;
        await CreateWorkItemAsync(api, title);
        (await fixture.EventsAsync("work_item.created", 1, e => e.GetProperty("data").ToString().Contains(title))).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Check_OfAHealthyHook_ChangesNothing()
    {
        using var api = fixture.Server.Client();
        var subscription = await fixture.SubscribeAsync("workitem.deleted");

        var checkedView = await (await api.PostAsync($"{fixture.Subscriptions}/{subscription.GetProperty("id").GetString()}/check", null)).ShouldBeJsonAsync();

        checkedView.GetProperty("repairs").GetArrayLength().ShouldBe(0);
        checkedView.GetProperty("eventsMayBeMissedSince").ValueKind.ShouldBe(JsonValueKind.Null);
        Hooks(checkedView).Single().GetProperty("azureSubscriptionId").GetString().ShouldBe(Hooks(subscription).Single().GetProperty("azureSubscriptionId").GetString());
    }

    [Fact]
    public async Task Check_OfAHookMadeBeforeTheSecretMoved_GivesItNewCredentialsInTheConfidentialInputOnly_AndLearnsTheCollection()
    {
        using var api = fixture.Server.Client();
        var subscription = await fixture.SubscribeAsync("git.pullrequest.created");
        var id = subscription.GetProperty("id").GetString()!;
        var hook = Hooks(subscription).Single();
        var azureId = hook.GetProperty("azureSubscriptionId").GetString()!;
        var (url, secret) = await fixture.IngestOfAsync(hook);

        // As earlier AdoBridge versions left it: the secret in httpHeaders too (readable by whoever lists subscriptions),
        // and no collection id kept for the subscription.
        var azure = JsonNode.Parse((await AzureSubscriptionAsync(api, azureId)).GetRawText())!.AsObject();
        azure["consumerInputs"]!["httpHeaders"] = $"X-AdoBridge-Hook-Secret:{secret}";
        (await api.PutAsJsonAsync($"{fixture.Proxy}/_apis/hooks/subscriptions/{azureId}?api-version=7.1", azure)).EnsureSuccessStatusCode();
        (await AzureSubscriptionAsync(api, azureId)).GetProperty("consumerInputs").GetProperty("httpHeaders").GetString()!.ShouldContain(secret);
        var contexts = fixture.Server.Service<IDbContextFactory<AdoBridgeDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            await db.Subscriptions.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.CollectionId, (string?)null));
        }

        var checkedView = await (await api.PostAsync($"{fixture.Subscriptions}/{id}/check", null)).ShouldBeJsonAsync();

        checkedView.GetProperty("status").GetString().ShouldBe("active");
        checkedView.GetProperty("repairs").EnumerateArray().ShouldHaveSingleItem().GetString()!.ShouldContain("basicAuthPassword");
        var moved = Hooks(checkedView).Single();
        var newAzureId = moved.GetProperty("azureSubscriptionId").GetString()!;
        newAzureId.ShouldNotBe(azureId);
        (await api.GetAsync($"{fixture.Proxy}/_apis/hooks/subscriptions/{azureId}?api-version=7.1")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var now = await AzureSubscriptionAsync(api, newAzureId);
        now.GetProperty("consumerInputs").TryGetProperty("httpHeaders", out _).ShouldBeFalse();
        now.GetProperty("consumerInputs").GetProperty("basicAuthPassword").GetString().ShouldBe("********");
        var (newUrl, newSecret) = await fixture.IngestOfAsync(moved);
        newSecret.ShouldNotBe(secret);
        await using (var db = await contexts.CreateDbContextAsync())
        {
            (await db.Subscriptions.AsNoTracking().SingleAsync(s => s.Id == id)).CollectionId.ShouldBe(AdoBridge.Emulator.EmulatorDefaults.OrganizationId);
        }

        using var http = new HttpClient();
        var payload = SandboxPayloads.Retarget(SandboxPayloads.Sample("git.pullrequest.created.json"), ServiceHooksFixture.ProjectIdOf(subscription));
        await (await http.SendAsync(SandboxPayloads.Post(url, payload.ToJsonString(), secret))).ShouldBeProblemAsync(HttpStatusCode.NotFound, "hook_not_found");
        (await (await http.SendAsync(SandboxPayloads.Post(newUrl, payload.ToJsonString(), newSecret))).ShouldBeJsonAsync()).GetProperty("status").GetString().ShouldBe("accepted");
        payload["id"] = Guid.NewGuid().ToString();
        payload["resourceContainers"]!["collection"]!["id"] = Guid.NewGuid().ToString();
        await (await http.SendAsync(SandboxPayloads.Post(newUrl, payload.ToJsonString(), newSecret))).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "resource_mismatch");
    }

    [Fact]
    public async Task DeletingTheConnection_DeletesItsHooksInAzureDevOps()
    {
        using var api = fixture.Server.Client();
        var other = await fixture.Server.ConnectWithMicrosoftAsync("hooks-leaver", "bob@fabrikam.onmicrosoft.com");
        var subscription = await (await api.PostAsJsonAsync($"/v1/connections/{other}/subscriptions",
            new { organization = "fabrikam", project = ServiceHooksFixture.Project, events = new[] { "git.push" } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var azureId = Hooks(subscription).Single().GetProperty("azureSubscriptionId").GetString();

        (await api.DeleteAsync($"/v1/connections/{other}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await api.GetAsync($"{fixture.Proxy}/_apis/hooks/subscriptions/{azureId}?api-version=7.1")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Routes_RejectCallersWithoutAKey_AndKeysOfAnotherEnvironment()
    {
        using var anonymous = fixture.Server.Client(apiKey: null);
        using var admin = fixture.Server.Client();
        var environment = "hooks-elsewhere-" + Guid.NewGuid().ToString("N")[..6];
        (await admin.PostAsJsonAsync("/v1/admin/environments", new { id = environment })).EnsureSuccessStatusCode();
        var key = await (await admin.PostAsJsonAsync("/v1/admin/api-keys", new { name = "elsewhere", role = "product", environment })).ShouldBeJsonAsync(HttpStatusCode.Created);
        using var stranger = fixture.Server.Client(key.GetProperty("key").GetString());
        var mine = await fixture.SubscribeAsync("git.push");

        (await anonymous.GetAsync(fixture.Subscriptions)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsJsonAsync(fixture.Subscriptions, new { })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsync($"{fixture.Subscriptions}/{mine.GetProperty("id").GetString()}/check", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await (await stranger.GetAsync(fixture.Subscriptions)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "connection_not_found");
        await (await stranger.DeleteAsync($"{fixture.Subscriptions}/{mine.GetProperty("id").GetString()}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "connection_not_found");
    }
}
