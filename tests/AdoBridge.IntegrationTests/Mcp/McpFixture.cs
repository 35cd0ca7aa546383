using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AdoBridge.IntegrationTests.Mcp;

/// <summary>
/// A sandbox AdoBridge with two connections: alice's (organisations fabrikam and fabrikam-labs) and bob's (fabrikam),
/// and MCP clients on the official C# SDK that speak either revision: 2026-07-28 (stateless, server/discover) or
/// 2025-11-25 (initialize, a session).
/// </summary>
public sealed class McpFixture : IAsyncLifetime
{
    public const string Project = "Fabrikam-Fiber-Git";
    public const string Repository = "Fabrikam-Fiber-Git";
    public const string Latest = "2026-07-28";
    public const string Initialize = "2025-11-25";

    private AdoBridgeServer? server;

    public AdoBridgeServer Server => server ?? throw new InvalidOperationException("Not started.");

    public string Alice { get; private set; } = string.Empty;

    public string Bob { get; private set; } = string.Empty;

    public Uri Endpoint => new(Server.BaseUrl, "/mcp");

    public async Task InitializeAsync()
    {
        server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?> { ["AdoBridge:RateLimits:McpRequestsPerMinute"] = "0" });
        Alice = await server.ConnectWithMicrosoftAsync("mcp-alice", organizations: ["fabrikam", "fabrikam-labs"]);
        Bob = await server.ConnectWithMicrosoftAsync("mcp-bob", upn: "bob@fabrikam.onmicrosoft.com");
    }

    /// <summary>An MCP client with the API key (the bootstrap owner key unless given) and extra headers.</summary>
    public Task<McpClient> ClientAsync(string protocol = Latest, IDictionary<string, string>? headers = null, string? apiKey = AdoBridgeServer.BootstrapKey)
        => ClientAsync(Endpoint, protocol, headers, apiKey);

    public static async Task<McpClient> ClientAsync(Uri endpoint, string protocol, IDictionary<string, string>? headers, string? apiKey)
    {
        var all = new Dictionary<string, string>(headers ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
        if (apiKey is not null)
        {
            all["Authorization"] = "Bearer " + apiKey;
        }

        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint, TransportMode = HttpTransportMode.StreamableHttp, AdditionalHeaders = all });
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = protocol == Latest ? null : protocol });
    }

    /// <summary>Arguments for a tool call as alice in fabrikam, plus <paramref name="more"/>.</summary>
    public Dictionary<string, object?> Args(object? more = null, string? connection = null, string organization = "fabrikam")
    {
        var args = new Dictionary<string, object?> { ["connection"] = connection ?? Alice, ["organization"] = organization, ["project"] = Project, ["repository"] = Repository };
        if (more is not null)
        {
            foreach (var p in JsonSerializer.SerializeToElement(more).EnumerateObject())
            {
                args[p.Name] = p.Value;
            }
        }

        return args;
    }

    public async Task FaultAsync(object fault)
    {
        using var emulator = await Server.EmulatorAdminAsync();
        (await emulator.PostAsJsonAsync("faults", fault)).EnsureSuccessStatusCode();
    }

    public async Task ClearFaultsAsync()
    {
        using var emulator = await Server.EmulatorAdminAsync();
        await emulator.DeleteAsync("faults");
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

/// <summary>Reading tool results in tests.</summary>
public static class McpResults
{
    /// <summary>The structured content of a successful call (fails the test with the text when it is an error).</summary>
    public static JsonElement Ok(this CallToolResult result)
    {
        (result.IsError ?? false).ShouldBeFalse(result.Text());
        return result.StructuredContent.ShouldNotBeNull();
    }

    /// <summary>The problem a tool error carries, from the fenced JSON of its text.</summary>
    public static JsonElement Problem(this CallToolResult result, string code)
    {
        (result.IsError ?? false).ShouldBeTrue(result.Text());
        var text = result.Text();
        var start = text.IndexOf("\n{", StringComparison.Ordinal) + 1;
        var end = text.LastIndexOf("}\n", StringComparison.Ordinal) + 1;
        var problem = JsonDocument.Parse(text[start..end]).RootElement.Clone();
        problem.GetProperty("code").GetString().ShouldBe(code, text);
        return problem;
    }

    public static string Text(this CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));
}
