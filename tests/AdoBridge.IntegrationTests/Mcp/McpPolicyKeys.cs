using System.Net;
using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Mcp;

/// <summary>An API key made for one test, with the operator's MCP policy for it set through the admin API.</summary>
public sealed record McpPolicyKey(string Id, string Key)
{
    public string Subject => "key:" + Id;

    /// <summary>A new key of <paramref name="role"/> and, unless null, its policy (PUT /v1/admin/mcp/policies/key:…, 201).</summary>
    public static async Task<McpPolicyKey> CreateAsync(AdoBridgeServer server, object? policy, string role = "product")
    {
        using var owner = server.Client();
        var created = await (await owner.PostAsJsonAsync("/v1/admin/api-keys", new { name = "mcp policy " + Guid.NewGuid().ToString("N")[..8], role })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var key = new McpPolicyKey(created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);
        if (policy is not null)
        {
            await (await owner.PutAsJsonAsync($"/v1/admin/mcp/policies/{key.Subject}", policy)).ShouldBeJsonAsync(HttpStatusCode.Created);
        }

        return key;
    }
}
