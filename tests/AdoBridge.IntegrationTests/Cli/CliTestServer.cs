using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Cli;

/// <summary>Helpers over the sandbox server the CLI tests talk to: what the API itself answers, to compare the CLI with.</summary>
public static class CliTestServer
{
    public static CliProcess Cli(this AdoBridgeServer server, string? apiKey = AdoBridgeServer.BootstrapKey) => new(server.BaseUrl, apiKey);

    public static async Task<JsonElement> ApiAsync(this AdoBridgeServer server, string path)
    {
        using var client = server.Client();
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A PAT connection to the sandbox organisation for <paramref name="endUserId"/>; returns its id.</summary>
    public static async Task<string> PatConnectionAsync(this AdoBridgeServer server, string endUserId)
    {
        var pat = (await server.DetailsAsync()).GetProperty("pat").GetString();
        using var client = server.Client();
        var response = await client.PostAsJsonAsync("/v1/connections", new { type = "pat", endUserId, organization = "fabrikam", pat });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>A loopback port nothing listens on: bound, read, released.</summary>
    public static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
