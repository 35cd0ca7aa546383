using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.IntegrationTests.Webhooks.Delivery;

/// <summary>Registering, reading, changing and deleting webhook endpoints, and the refusals that say what to fix.</summary>
public sealed class WebhookEndpointsApiTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private AdoBridgeServer Server => fixture.Server;

    [Fact]
    public async Task Create_ReturnsSecretOnce_StoredSealed_NeverShownAgain()
    {
        using var api = Server.Client();
        using var response = await api.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "https://app.contoso.com/hooks/adobridge?tenant=42", events = new[] { "pull_request.*", "connection.created" }, description = "prod" });
        var created = await response.ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        var secret = created.GetProperty("secret").GetString()!;

        response.Headers.Location!.ToString().ShouldBe($"/v1/webhook-endpoints/{id}");
        id.ShouldStartWith("whe_");
        secret.ShouldStartWith("whsec_");
        Convert.FromBase64String(secret["whsec_".Length..]).Length.ShouldBe(32);
        created.GetProperty("events").EnumerateArray().Select(e => e.GetString()).ShouldBe(["pull_request.*", "connection.created"]);
        created.GetProperty("status").GetString().ShouldBe("enabled");

        var fetched = await api.GetStringAsync($"/v1/webhook-endpoints/{id}");
        var list = await api.GetStringAsync("/v1/webhook-endpoints");
        fetched.ShouldNotContain(secret[6..]);
        fetched.ShouldNotContain("\"secret\"");
        list.ShouldNotContain(secret[6..]);
        JsonDocument.Parse(fetched).RootElement.GetProperty("circuit").GetString().ShouldBe("closed");

        await using var db = await Server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        var row = await db.WebhookEndpoints.SingleAsync(e => e.Id == id);
        row.Secret.ShouldStartWith("enc:v1:");
        row.Secret.ShouldNotContain(secret[6..]);
    }

    [Theory]
    [InlineData(null, "url")]
    [InlineData("/hooks", "url")]
    [InlineData("ftp://app.contoso.com/hooks", "url")]
    [InlineData("https://user:hunter2@app.contoso.com/hooks", "url")]
    [InlineData("https://app.contoso.com/hooks#frag", "url")]
    public async Task Create_BadUrl_400NamingFieldAndFix(string? url, string field)
    {
        using var api = Server.Client();
        var problem = await (await api.PostAsJsonAsync("/v1/webhook-endpoints", new { url, events = new[] { "*" } }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_webhook_url");
        problem.GetProperty("field").GetString().ShouldBe(field);
        problem.GetProperty("fix").GetString().ShouldNotBeNullOrEmpty();
        problem.GetRawText().ShouldNotContain("hunter2");
    }

    [Theory]
    [InlineData("pullrequest.created")]
    [InlineData("pull_request.opened")]
    [InlineData("nothing.*")]
    [InlineData("")]
    public async Task Create_UnknownEventFilter_400NamingTheFilter(string filter)
    {
        using var api = Server.Client();
        var problem = await (await api.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "https://app.contoso.com/h", events = new[] { "connection.created", filter } }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_event_filter");
        problem.GetProperty("field").GetString().ShouldBe("events");
        problem.GetProperty("detail").GetString()!.ShouldContain("events[1]");
        problem.GetProperty("detail").GetString()!.ShouldContain("pull_request.");
    }

    [Fact]
    public async Task Create_NoEvents_400()
    {
        using var api = Server.Client();
        await (await api.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "https://app.contoso.com/h", events = Array.Empty<string>() }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_event_filter");
    }

    [Fact]
    public async Task Update_ChangesWhatIsGiven_KeepsTheRest()
    {
        using var api = Server.Client();
        var (id, _) = await api.CreateEndpointAsync(new Uri("https://app.contoso.com/a"), "connection.*");

        var updated = await (await api.PatchAsJsonAsync($"/v1/webhook-endpoints/{id}", new { events = new[] { "work_item.*", "build.completed" }, status = "disabled" }))
            .ShouldBeJsonAsync();

        updated.GetProperty("url").GetString().ShouldBe("https://app.contoso.com/a");
        updated.GetProperty("events").EnumerateArray().Select(e => e.GetString()).ShouldBe(["work_item.*", "build.completed"]);
        updated.GetProperty("status").GetString().ShouldBe("disabled");
        await (await api.PatchAsJsonAsync($"/v1/webhook-endpoints/{id}", new { status = "paused" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_status");
        await (await api.PatchAsJsonAsync($"/v1/webhook-endpoints/{id}", new { url = "nope" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_webhook_url");
    }

    [Fact]
    public async Task List_PagesWithCursor()
    {
        var env = "paging-" + Guid.NewGuid().ToString("N")[..8];
        using var api = await EnvironmentClientAsync(env);
        for (var i = 0; i < 3; i++)
        {
            await api.CreateEndpointAsync(new Uri($"https://app.contoso.com/{i}"));
        }

        var first = await (await api.GetAsync("/v1/webhook-endpoints?limit=2")).ShouldBeJsonAsync();
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await (await api.GetAsync($"/v1/webhook-endpoints?limit=2&cursor={cursor}")).ShouldBeJsonAsync();

        first.GetProperty("items").GetArrayLength().ShouldBe(2);
        second.GetProperty("items").GetArrayLength().ShouldBe(1);
        second.GetProperty("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Delete_ThenGone()
    {
        using var api = Server.Client();
        var (id, _) = await api.CreateEndpointAsync(new Uri("https://app.contoso.com/d"));

        (await api.DeleteAsync($"/v1/webhook-endpoints/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await api.GetAsync($"/v1/webhook-endpoints/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "webhook_endpoint_not_found");
        await (await api.DeleteAsync($"/v1/webhook-endpoints/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "webhook_endpoint_not_found");
    }

    [Fact]
    public async Task AnotherEnvironmentsKey_SeesNothing_Gets404Everywhere()
    {
        using var api = Server.Client();
        var (id, _) = await api.CreateEndpointAsync(new Uri("http://127.0.0.1:9/mine"));
        var eventId = (await (await api.PostAsync($"/v1/webhook-endpoints/{id}/test", null)).ShouldBeJsonAsync(HttpStatusCode.Accepted)).GetProperty("eventId").GetString();
        using var other = await EnvironmentClientAsync("iso-" + Guid.NewGuid().ToString("N")[..8]);

        (await (await other.GetAsync("/v1/webhook-endpoints")).ShouldBeJsonAsync()).GetProperty("items").GetArrayLength().ShouldBe(0);
        await (await other.GetAsync($"/v1/webhook-endpoints/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "webhook_endpoint_not_found");
        await (await other.PatchAsJsonAsync($"/v1/webhook-endpoints/{id}", new { status = "disabled" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await other.PostAsync($"/v1/webhook-endpoints/{id}/rotate-secret", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await other.PostAsync($"/v1/webhook-endpoints/{id}/replay-failed", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await other.PostAsync($"/v1/webhook-endpoints/{id}/test", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await other.DeleteAsync($"/v1/webhook-endpoints/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await other.GetAsync($"/v1/events/{eventId}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "event_not_found");
        await (await other.PostAsJsonAsync($"/v1/events/{eventId}/replay", new { })).ShouldBeProblemAsync(HttpStatusCode.NotFound, "event_not_found");
        (await (await other.GetAsync($"/v1/deliveries?eventId={eventId}")).ShouldBeJsonAsync()).GetProperty("items").GetArrayLength().ShouldBe(0);
        (await (await api.GetAsync($"/v1/webhook-endpoints/{id}")).ShouldBeJsonAsync()).GetProperty("status").GetString().ShouldBe("enabled");
    }

    private async Task<HttpClient> EnvironmentClientAsync(string environment)
    {
        using var admin = Server.Client();
        (await admin.PostAsJsonAsync("/v1/admin/environments", new { id = environment })).EnsureSuccessStatusCode();
        var key = await (await admin.PostAsJsonAsync("/v1/admin/api-keys", new { name = environment, environment })).ShouldBeJsonAsync(HttpStatusCode.Created);
        return Server.Client(key.GetProperty("key").GetString());
    }
}
