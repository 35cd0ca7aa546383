using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Storage;
using AdoBridge.Mcp;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using ModelContextProtocol;

namespace AdoBridge.IntegrationTests.Mcp;

/// <summary>Every tool call is recorded (who, which connection, the tool, redacted arguments, outcome, Azure DevOps status, duration), on both engines.</summary>
public sealed class McpAuditTests
{
    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task EveryToolCall_IsRecorded_WithSecretsRedacted_ListedWithFiltersAndPaging_AndDeletedByRetention(string engine)
    {
        await using var server = await AdoBridgeServer.StartAsync(await StorageEngine.SettingsAsync(engine));
        using var api = server.Client();
        var details = await server.DetailsAsync();
        var connection = (await (await api.PostAsJsonAsync("/v1/connections", new { type = "pat", endUserId = "audit-user", organization = "fabrikam", pat = details.GetProperty("pat").GetString() }))
            .ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;

        await using (var client = await McpFixture.ClientAsync(new Uri(server.BaseUrl, "/mcp"), McpFixture.Latest, null, AdoBridgeServer.BootstrapKey))
        {
            (await client.CallToolAsync("list_projects", new Dictionary<string, object?> { ["connection"] = connection, ["organization"] = "fabrikam" })).Ok();
            (await client.CallToolAsync("get_pull_request", new Dictionary<string, object?>
            {
                ["connection"] = connection, ["organization"] = "fabrikam", ["project"] = McpFixture.Project, ["repository"] = McpFixture.Repository, ["pullRequestId"] = 9999,
            })).Problem("azure_devops_error");
            (await client.CallToolAsync("run_pipeline", new Dictionary<string, object?>
            {
                ["connection"] = connection, ["organization"] = "fabrikam", ["project"] = McpFixture.Project, ["pipelineId"] = 1,
                ["templateParameters"] = new Dictionary<string, string> { ["deployToken"] = "s3cret-template" },
                ["variables"] = new Dictionary<string, object> { ["signing"] = new { value = "s3cret-variable", isSecret = true }, ["configuration"] = new { value = "Release" } },
            })).Ok();
            await Should.ThrowAsync<McpProtocolException>(async () => await client.CallToolAsync("no_such_tool", new Dictionary<string, object?>()));
        }

        var all = await (await api.GetAsync("/v1/mcp/calls")).ShouldBeJsonAsync();
        var text = all.GetRawText();
        text.ShouldNotContain("s3cret");
        var calls = all.GetProperty("items").EnumerateArray().ToList();
        calls.Select(c => c.GetProperty("tool").GetString()).ShouldBe(["list_projects", "get_pull_request", "run_pipeline", "no_such_tool"]);

        var ok = calls[0];
        ok.GetProperty("outcome").GetString().ShouldBe("ok");
        ok.GetProperty("isError").GetBoolean().ShouldBeFalse();
        ok.GetProperty("keyId").GetString().ShouldNotBeNullOrEmpty();
        ok.GetProperty("connectionId").GetString().ShouldBe(connection);
        ok.GetProperty("organization").GetString().ShouldBe("fabrikam");
        ok.GetProperty("azureStatus").GetInt32().ShouldBe(200);
        ok.GetProperty("azureCalls").GetInt32().ShouldBe(1);
        ok.GetProperty("durationMs").GetInt32().ShouldBeGreaterThanOrEqualTo(0);
        ok.GetProperty("arguments").GetProperty("organization").GetString().ShouldBe("fabrikam");

        calls[1].GetProperty("outcome").GetString().ShouldBe("azure_devops_error");
        calls[1].GetProperty("azureStatus").GetInt32().ShouldBe(404);
        var run = calls[2].GetProperty("arguments");
        run.GetProperty("templateParameters").GetProperty("deployToken").GetString().ShouldBe("[redacted]");
        run.GetProperty("variables").GetProperty("signing").GetProperty("value").GetString().ShouldBe("[redacted]");
        run.GetProperty("variables").GetProperty("configuration").GetProperty("value").GetString().ShouldBe("Release");
        calls[3].GetProperty("outcome").GetString().ShouldBe("unknown_tool");

        // Filters and keyset paging, as the event log pages.
        var errors = await (await api.GetAsync("/v1/mcp/calls?outcome=error")).ShouldBeJsonAsync();
        errors.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("tool").GetString()).ShouldBe(["get_pull_request", "no_such_tool"]);
        (await (await api.GetAsync("/v1/mcp/calls?tool=run_pipeline")).ShouldBeJsonAsync()).GetProperty("items").GetArrayLength().ShouldBe(1);
        (await (await api.GetAsync($"/v1/mcp/calls?connectionId={connection}")).ShouldBeJsonAsync()).GetProperty("items").GetArrayLength().ShouldBe(3, "the unknown tool was called without a connection");
        var first = await (await api.GetAsync("/v1/mcp/calls?limit=3")).ShouldBeJsonAsync();
        first.GetProperty("items").GetArrayLength().ShouldBe(3);
        var cursor = first.GetProperty("nextCursor").GetString();
        var rest = await (await api.GetAsync($"/v1/mcp/calls?limit=3&cursor={cursor}")).ShouldBeJsonAsync();
        rest.GetProperty("items").EnumerateArray().Single().GetProperty("tool").GetString().ShouldBe("no_such_tool");
        rest.GetProperty("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);
        await (await api.GetAsync("/v1/mcp/calls?limit=0")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_filter");

        // Another environment sees none of them.
        var other = (await (await api.PostAsJsonAsync("/v1/admin/api-keys", new { name = "audit other", environment = "production", role = "product" })).ShouldBeJsonAsync(HttpStatusCode.Created))
            .GetProperty("key").GetString();
        using var otherApi = server.Client(other);
        (await (await otherApi.GetAsync("/v1/mcp/calls")).ShouldBeJsonAsync()).GetProperty("items").GetArrayLength().ShouldBe(0);

        // Retention: a call older than the event log's retention goes, the recent ones stay.
        var log = server.Service<McpCallLog>();
        await log.RecordAsync(new McpCallEntity
        {
            Id = "mcpc_000000000001oldoldoldoldold", EnvironmentId = await EnvironmentOfAsync(server, calls[0].GetProperty("id").GetString()!),
            KeyId = "old", Tool = "list_projects", Arguments = "{}", Outcome = "ok", CreatedAt = DateTimeOffset.UtcNow.AddDays(-31),
        }, CancellationToken.None);
        (await (await api.GetAsync("/v1/mcp/calls")).ShouldBeJsonAsync()).GetProperty("items").GetArrayLength().ShouldBe(5);
        (await server.Service<McpCallRetention>().RunOnceAsync(CancellationToken.None)).ShouldBe(1);
        (await (await api.GetAsync("/v1/mcp/calls")).ShouldBeJsonAsync()).GetProperty("items").GetArrayLength().ShouldBe(4);
    }

    private static async Task<string> EnvironmentOfAsync(AdoBridgeServer server, string callId)
    {
        await using var db = await server.Service<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
        return (await db.McpCalls.SingleAsync(c => c.Id == callId)).EnvironmentId;
    }
}
